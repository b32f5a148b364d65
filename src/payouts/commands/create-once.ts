import { WrongExpectedVersion, type NewEvent, type StreamAppend } from '../../../libs/event-store/event-store.port.js';
import type { EventSourcing } from '../../core/event-sourcing.service.js';
import type { Evolve } from '../../../libs/event-store/command-handling.js';

export interface CreateOnce<S> {
  streamId: string;
  initial: S;
  evolve: Evolve<S>;
  /** Throws when the aggregate does not exist. */
  check(state: S): void;
  existing(state: S): string | null;
  /** The request event, carrying the idempotency key and parameters every caller will send. */
  request(state: S): NewEvent[];
  /** Calls Stripe with the recorded request; the same key answers the same object to every caller. */
  create(state: S): Promise<string>;
  created(state: S, id: string): { events: NewEvent[]; also: StreamAppend[] };
}

/**
 * Creates a Stripe object for an aggregate at most once: request recorded first (optimistic
 * concurrency on the stream), Stripe called with the recorded idempotency key, result recorded
 * with a claim stream. Concurrent callers end with the same id.
 */
export async function createOnce<S>(es: EventSourcing, spec: CreateOnce<S>): Promise<{ id: string; checkpoint?: string }> {
  const requested = await es.execute(spec.streamId, spec.initial, spec.evolve, (state) => {
    spec.check(state);
    return { events: spec.existing(state) ? [] : spec.request(state) };
  });
  const { state } = await es.load(spec.streamId, spec.initial, spec.evolve);
  const known = spec.existing(state);
  if (known) return { id: known, checkpoint: requested.checkpoint };
  const id = await spec.create(state);
  try {
    const recorded = await es.execute(spec.streamId, spec.initial, spec.evolve, (s) => spec.created(s, id));
    return { id, checkpoint: recorded.checkpoint ?? requested.checkpoint };
  } catch (e) {
    if (!(e instanceof WrongExpectedVersion)) throw e;
    const again = spec.existing((await es.load(spec.streamId, spec.initial, spec.evolve)).state);
    if (!again) throw e;
    return { id: again };
  }
}
