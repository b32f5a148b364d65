import type { Event, RecordedEvent } from './event-store.port.js';
import type { Complete } from './aggregate.js';
import type { Sql } from '../database/sql.js';

/**
 * A read model of the events `E`: its writes and its checkpoint commit in one transaction, so a replayed event changes
 * nothing. Events are shared between subscribers: never mutate them.
 */
export interface Projection<E extends Event = Event> {
  readonly name: string;
  /** Tables it owns: truncated on rebuild and hashed for the checksum. */
  readonly tables: readonly string[];
  /**
   * The event types `apply` and `applyBatch` read. The runner hands the projection only these (the
   * others just move its checkpoint), and a replay decodes only the payloads some projection reads.
   * A type missing here is never applied: the rebuild scenario e2e checks that `apply` ignores every
   * other type of a realistic log.
   */
  readonly types: readonly E['type'][];
  apply(event: RecordedEvent<E>, sql: Sql): Promise<void>;
  /**
   * Optional set-based form of `apply` for the event types in `batchTypes`, for replay speed.
   * It gets runs of consecutive events of those types and must leave the tables exactly as `apply`
   * on each in order would. Events of other types still go to `apply`, after the run before them
   * is written, so a type added to `apply` only is never lost. On an error the runner falls back
   * to `apply` per event to find the failing one.
   */
  readonly batchTypes?: readonly E['type'][];
  applyBatch?(events: readonly RecordedEvent<E>[], sql: Sql): Promise<void>;
}

/**
 * A projection of the events `E`, its union named once: `types` must list every type of `E` and no other (the compiler
 * says which are missing), so it cannot drift from `apply`'s `switch`, which sees `RecordedEvent<E>` with typed `data`.
 *
 *   export const leadsProjection = projection<LeadEvent>()({ name: 'leads', types: ['LeadCreated', 'LeadCustomerLinked'], ... });
 */
export const projection =
  <E extends Event>() =>
  <const T extends readonly E['type'][]>(p: Projection<E> & { readonly types: T & Complete<E, T> }): Projection<E> =>
    p;

/** A process manager: turns events into commands. At-least-once, so `react` must be idempotent. */
export interface Reactor {
  readonly name: string;
  react(event: RecordedEvent): Promise<void>;
  /**
   * Optional, to react to independent events concurrently. Events with the same key are reacted to one
   * after another in log order, events with different keys at the same time (at most `concurrency`);
   * `undefined` means the event depends on no other (e.g. a type `react` ignores). Put every pair of
   * events whose order matters under one key. Must not throw (an error counts as the event failing).
   * The checkpoint still only passes events that are done, and a failing event stops the reactor there,
   * so after a restart or retry events behind it may be reacted to again. Without it: one at a time.
   */
  partitionKey?(event: RecordedEvent): string | undefined;
  /** Events reacted to at once when `partitionKey` is given; default 8. */
  readonly concurrency?: number;
}

export interface SubscriptionStatus {
  name: string;
  kind: 'projection' | 'reactor';
  /** `failed`: events are parked, or pages cannot be processed; the subscriber still goes on with the others. */
  status: 'running' | 'rebuilding' | 'failed';
  position: number;
  checkpoint: string;
  lag: number;
  checksum: string | null;
  /** The page that could not be processed, or the latest parked event, and why. */
  lastError: string | null;
  /** Events parked or waiting behind a parked one (GET /v1/admin/parked-events). */
  parked: number;
}

export class UnknownProjection extends Error {
  constructor(readonly names: string[]) {
    super(`Unknown projection${names.length > 1 ? 's' : ''}: ${names.join(', ')}`);
  }
}
