/** The event store port: every module appends and reads through this, whatever the adapter. */

export type EventData = Record<string, unknown>;

export interface NewEvent<T extends string = string, D extends EventData = EventData> {
  type: T;
  data: D;
  metadata?: EventData;
  /** Schema version of `data`; readers upcast older versions (see upcasters.ts). */
  schemaVersion?: number;
}

export interface RecordedEvent<T extends string = string, D extends EventData = EventData> {
  streamId: string;
  type: T;
  version: number;
  /** Position in the store's global order; increases along readAll. */
  globalPosition: number;
  /** Opaque resume token for readAll: the event's place in global commit order. */
  checkpoint: string;
  occurredAt: Date;
  schemaVersion: number;
  data: D;
  metadata: EventData;
}

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
  constructor(readonly streamId: string, readonly expected: ExpectedVersion, readonly actual: number | null) {
    super(`Stream ${streamId}: expected version ${expected}, actual ${actual ?? 'unknown'}`);
  }
}

export const START = '0/0';

export interface EventStore {
  readonly name: string;
  append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult>;
  /** All appends succeed together or none does (Postgres: one transaction). */
  appendMany(appends: StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /**
   * Events after `checkpoint` in global commit order, never skipping one a late commit makes visible.
   * `payloadTypes`: only events of these types need their data; others may come back with `data` {}.
   */
  readAll(checkpoint: string, limit: number, payloadTypes?: readonly string[]): Promise<RecordedEvent[]>;
  /** Checkpoint of the newest visible event, and how many events follow `checkpoint`. */
  head(): Promise<{ checkpoint: string; globalPosition: number }>;
  countAfter(checkpoint: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function compareCheckpoints(a: string, b: string): number {
  const [a1, a2] = a.split('/').map(BigInt);
  const [b1, b2] = b.split('/').map(BigInt);
  if (a1 !== b1) return a1! < b1! ? -1 : 1;
  if (a2 !== b2) return a2! < b2! ? -1 : 1;
  return 0;
}
