import fc from 'fast-check';
import type { RunningApp } from '../../src/bootstrap.js';
import { quiesce } from '../support/quiesce.js';
import { checkAnswer, describeExchange, Finding, send, type Answer, type Sent } from '../support/raw-http.js';

export interface Prober {
  /** Sends, checks the answer, and on 4xx checks that no event was stored. Answers the answer. */
  probe(s: Sent, expect?: (a: Answer) => string | undefined): Promise<Answer>;
}

export function prober(app: RunningApp, countEvents: () => Promise<number>): Prober {
  return {
    async probe(s, expect) {
      const before = await countEvents();
      const a = await send(app, s);
      checkAnswer(s, a);
      const unexpected = expect?.(a);
      if (unexpected) throw new Finding(`${unexpected}: ${describeExchange(s, a)}`);
      if (a.status >= 400) {
        const after = await countEvents();
        if (after !== before) throw new Finding(`rejected but ${after - before} event(s) stored: ${describeExchange(s, a)}`);
      } else {
        await quiesce(app);
      }
      return a;
    },
  };
}

export const is4xx = (a: Answer) => (a.status >= 400 && a.status < 500 ? undefined : `expected 4xx, got ${a.status}`);

/**
 * Runs a property (at most `numRuns` inputs or `timeMs`, shrinking included) and answers its report
 * instead of throwing, so one bad route does not hide the next.
 */
export async function findings<T>(label: string, arb: fc.Arbitrary<T>, run: (v: T) => Promise<void>, numRuns: number, timeMs: number): Promise<string[]> {
  const details = await fc.check(fc.asyncProperty(arb, run), { numRuns, interruptAfterTimeLimit: timeMs });
  if (!details.failed) return [];
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const input = error.startsWith('5xx') || error.includes('→') ? '' : ` (input: ${JSON.stringify(details.counterexample)?.slice(0, 400)})`;
  return [`${label}: ${error.split('\n')[0]}${input}`];
}
