import { expect } from '@jest/globals';
import type { Event } from '../event-store.port.js';

type Evolving<S, E extends Event> = { readonly initial: S; evolve(state: S, event: E): S };

/** The state after `events`, from `aggregate.initial` (or `from`). */
export const stateAfter = <S, E extends Event>(aggregate: Evolving<S, E>, events: readonly E[], from: S = aggregate.initial): S =>
  events.reduce((s, e) => aggregate.evolve(s, e), from);

/**
 * Given events, when a decision, then events (or an error): emmett's DeciderSpecification for this codebase's deciders,
 * which take the state and whatever else they need (ids, `now`, lookups), so `when` gets the state and calls the decider.
 *
 *   decider(invoice).given(generated, approved).when((s) => decideVoid(s, ids)).then([voided]);
 */
export function decider<S, E extends Event>(aggregate: Evolving<S, E>) {
  return {
    given(...events: E[]) {
      const state = stateAfter(aggregate, events);
      return {
        state,
        when<R>(decide: (state: S) => R) {
          return {
            then(expected: R): void {
              expect(decide(state)).toEqual(expected);
            },
            thenThrows(expected?: string | RegExp | Error | (new (...args: never[]) => Error) | object): void {
              if (expected !== undefined && typeof expected === 'object' && !(expected instanceof Error) && !(expected instanceof RegExp)) {
                let thrown: unknown;
                try {
                  decide(state);
                } catch (e) {
                  thrown = e;
                }
                expect(thrown).toMatchObject(expected);
              } else expect(() => decide(state)).toThrow(expected);
            },
          };
        },
      };
    },
  };
}
