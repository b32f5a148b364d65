/** The event store port: every module appends and reads through this, whatever the adapter. */

export type EventData = Record<string, unknown>;

/** A domain event as a decider returns it: a past-tense `type` and its `data`. Modules declare theirs as unions of these. */
export interface Event<T extends string = string, D extends EventData = EventData> {
  type: T;
  data: D;
}

export interface NewEvent<T extends string = string, D extends EventData = EventData> extends Event<T, D> {
  metadata?: EventData;
  /** Schema version of `data`; readers upcast older versions (see upcasters.ts). */
  schemaVersion?: number;
  /**
   * Deterministic event id (a UUID), so that retrying an append whose outcome is unknown (a timeout, a lost
   * connection, a crash between the streams of an `appendMany`) cannot write it twice: see `append`.
   * Without it the store makes a random one.
   */
  id?: string;
}

/** Where and when a stored event is: what the store adds to the event a decider returned. */
export interface EventEnvelope {
  streamId: string;
  version: number;
  /**
   * Position in the store's global order: unique, increases along readAll, but not by one per event
   * (Postgres: a sequence with gaps; EventStoreDB: a byte offset in the log). Never a count of events.
   */
  globalPosition: number;
  /** Opaque resume token for readAll: the event's place in global commit order, in the store's own format. */
  checkpoint: string;
  occurredAt: Date;
  schemaVersion: number;
  metadata: EventData;
  /** The event's id, given by `readStream` (readAll may leave it out). */
  id?: string;
}

/**
 * A stored event. `RecordedEvent<PartnerEvent>` is a discriminated union over `type` (it distributes over the union),
 * so `switch (event.type)` narrows `data` with no cast.
 */
export type RecordedEvent<E extends Event = Event> = E extends Event ? E & EventEnvelope : never;

/** `no_stream`: the stream must not exist; a number: the stream's current version (0 = none). */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  nextVersion: number;
  /** Checkpoint of the last appended event, to wait for read models to catch up. */
  checkpoint: string;
  globalPosition: number;
}

export class WrongExpectedVersion extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | null,
  ) {
    super(`Stream ${streamId}: expected version ${expected}, actual ${actual ?? 'unknown'}`);
  }
}

/** An append larger than the store takes in one write (`capabilities.maxAppendBytes`); nothing was written. */
export class AppendSizeExceeded extends Error {
  readonly code = 'APPEND_SIZE_EXCEEDED';
  constructor(
    readonly streamId: string,
    readonly size: number,
    readonly maxAppendBytes: number,
  ) {
    super(
      `Stream ${streamId}: an append of ${size} bytes exceeds the event store's maximum append size of ${maxAppendBytes} bytes; split it into smaller appends`,
    );
  }
}

/** Checkpoints in es_checkpoints that this store cannot resume from: they were written by another kind of store. */
export class CheckpointsOfAnotherStore extends Error {
  readonly code = 'CHECKPOINTS_OF_ANOTHER_STORE';
  constructor(
    readonly store: string,
    readonly names: string[],
  ) {
    super(
      `The ${store} event store cannot resume ${names.join(', ')}: their checkpoints were written by another event store ` +
        "(the deployment switched stores). Rebuild needed: rebuild the projections (npm run rebuild) and set the reactors' checkpoints " +
        'to where the new store holds the events they already handled (see docs/architecture.md, "Switching stores").',
    );
  }
}

export const START = '0/0';

export interface EventStoreCapabilities {
  /** `appendMany` writes every stream or none. When false, a failure (or a crash) can leave the first streams written. */
  readonly atomicAppendMany: boolean;
  /** Largest append to one stream, in EventStoreDB's measure (see `appendSize`); null when unlimited. */
  readonly maxAppendBytes: number | null;
}

export interface EventStore {
  readonly name: string;
  readonly capabilities: EventStoreCapabilities;
  /**
   * Appends to one stream, all events or none, if the stream is at `expectedVersion`. Idempotent as EventStoreDB is
   * (`idempotence.ts`): an append whose events' `id`s are already in the stream at the positions `expectedVersion`
   * gives succeeds again without writing (with `any`/`stream_exists`: when the ids are found, EventStoreDB only
   * looks in a cache of recent ids); otherwise `WrongExpectedVersion`.
   */
  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult>;
  /**
   * Appends to several streams in call order, one result per append, stopping at the first that fails.
   * `capabilities.atomicAppendMany` (Postgres): all or nothing, one transaction. Otherwise (EventStoreDB ≤ 24.10,
   * which has no multi-stream transaction): stream by stream, so a failure or a crash leaves the streams before
   * it written; a caller retries the whole call with the same event ids to complete it (each stream already
   * written is then an idempotent success, see `append`), and keeps every invariant that spans streams correct
   * at each step on its own.
   */
  appendMany(appends: StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /**
   * Up to `limit` events after `checkpoint` in global commit order, never skipping one a late commit makes visible;
   * fewer only at the end of the log (never an empty page while events follow).
   * `payloadTypes`: only events of these types need their data; others may come back with `data` {}.
   */
  readAll(checkpoint: string, limit: number, payloadTypes?: readonly string[]): Promise<RecordedEvent[]>;
  /** Checkpoint of the newest visible event. */
  head(): Promise<{ checkpoint: string; globalPosition: number }>;
  /** How many events follow `checkpoint`: exact on Postgres; EventStoreDB stops counting at `LAG_COUNT_LIMIT`. */
  countAfter(checkpoint: string): Promise<number>;
  /** Whether `checkpoint` is in this store's format (START is every store's). */
  ownsCheckpoint(checkpoint: string): boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Where a lag count may stop on stores that cannot count cheaply: a lag this large reads as "at least". */
export const LAG_COUNT_LIMIT = 10_000;

/** Orders two checkpoints of one store: `[<tag>:]<a>/<b>`, compared as the pair of integers. */
export function compareCheckpoints(a: string, b: string): number {
  const [a1, a2] = untagged(a).split('/').map(BigInt);
  const [b1, b2] = untagged(b).split('/').map(BigInt);
  if (a1 !== b1) return a1! < b1! ? -1 : 1;
  if (a2 !== b2) return a2! < b2! ? -1 : 1;
  return 0;
}

const untagged = (checkpoint: string): string => checkpoint.slice(checkpoint.indexOf(':') + 1);
