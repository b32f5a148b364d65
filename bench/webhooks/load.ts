import type { HttpClient } from './http-client.js';
import { elapsedMs } from '../support/stats.js';

export interface SignedRequest {
  body: string;
  signature: string;
}

export interface LoadResult {
  ms: number;
  latencies: number[];
  failures: number;
  firstFailure?: string;
  /** Paced only: requests never sent because a full second's worth were still unanswered. */
  unsent?: number;
}

/** `connections` clients each sending the next request as soon as the previous one is answered. */
export async function closedLoop(client: HttpClient, path: string, requests: SignedRequest[], connections: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const t = process.hrtime.bigint();
      const reply = await client.send('POST', path, r.body, { 'stripe-signature': r.signature }).catch((e: Error) => ({ status: 0, body: e.message }));
      latencies.push(elapsedMs(t));
      if (reply.status < 200 || reply.status > 299) {
        failures++;
        firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { ms: elapsedMs(start), latencies, failures, firstFailure };
}

/**
 * Open loop: request i leaves at start + i/rate whatever the answers, so a slow server cannot slow the
 * sender down (no coordinated omission); latency counts from the moment each request was due.
 * A server that falls a full second behind is overloaded at this rate: sending stops there (so the
 * bench stays bounded) and the rest count as `unsent`.
 */
export async function paced(client: HttpClient, path: string, requests: SignedRequest[], rate: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const start = process.hrtime.bigint();
  let sent = 0;
  let answered = 0;
  while (sent < requests.length && sent - answered <= rate) {
    const due = Math.min(requests.length, Math.floor((elapsedMs(start) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const r = requests[sent]!;
      const dueAt = start + BigInt(Math.round((sent * 1e9) / rate));
      inFlight.push(
        client
          .send('POST', path, r.body, { 'stripe-signature': r.signature })
          .catch((e: Error) => ({ status: 0, body: e.message }))
          .then((reply) => {
            answered++;
            latencies.push(elapsedMs(dueAt));
            if (reply.status < 200 || reply.status > 299) {
              failures++;
              firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
            }
          }),
      );
    }
    await new Promise((ok) => setTimeout(ok, 1));
  }
  await Promise.all(inFlight);
  return { ms: elapsedMs(start), latencies, failures, firstFailure, unsent: requests.length - sent };
}
