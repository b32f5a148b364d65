import {
  ANY,
  EventStoreDBClient,
  FORWARDS,
  BACKWARDS,
  END,
  NO_STREAM,
  START as ESDB_START,
  STREAM_EXISTS,
  MaxAppendSizeExceededError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamRecordedEvent,
  type AppendExpectedRevision,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import {
  AppendSizeExceeded,
  LAG_COUNT_LIMIT,
  START,
  WrongExpectedVersion,
  type AppendResult,
  type EventData,
  type EventStore,
  type EventStoreCapabilities,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../event-store.port.js';
import { currentSchemaVersion, upcast } from '../upcasters.js';
import { ESDB_MAX_APPEND_SIZE, isSystemEvent, realClient, sizeOnDisk, type EsdbClient, type EsdbRead } from './esdb-client.js';

export interface EsdbEventStoreOptions {
  /** The server's MaxAppendSize, when it is not the default 1 MiB. */
  maxAppendBytes?: number;
}

/**
 * EventStoreDB adapter (gRPC client 6.2.1). Checkpoints are `esdb:<commit>/<prepare>` positions of $all: byte
 * offsets in the server's log, tagged so that checkpoints of another store are refused (see `ownsCheckpoint`).
 * EventStoreDB ≤ 24.10 has no multi-stream transaction: `appendMany` writes the streams one by one in call order
 * and stops at the first failure, leaving the ones before it written (`capabilities.atomicAppendMany` false).
 * $all holds the server's own events (`$`-prefixed streams and types) between the application's: reads skip them
 * and page on until they have `limit` application events or reach the end of the log.
 */
export class EsdbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  readonly capabilities: EventStoreCapabilities;

  constructor(
    private readonly client: EsdbClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.capabilities = { atomicAppendMany: false, maxAppendBytes: options.maxAppendBytes ?? ESDB_MAX_APPEND_SIZE };
  }

  static connect(url: string, options?: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(realClient(EventStoreDBClient.connectionString(url)), options);
  }

  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    let size = 0;
    const proposed = events.map((e) => {
      const metadata = { ...(e.metadata ?? {}), schemaVersion: e.schemaVersion ?? currentSchemaVersion(e.type) };
      size += sizeOnDisk(e.type, Buffer.byteLength(JSON.stringify(e.data)), Buffer.byteLength(JSON.stringify(metadata)));
      return jsonEvent({ id: e.id, type: e.type, data: e.data, metadata });
    });
    // Refused here, before sending: the server would refuse it too, after the whole request was streamed to it.
    const max = this.capabilities.maxAppendBytes!;
    if (size > max) throw new AppendSizeExceeded(streamId, size, max);
    try {
      const result = await this.client.appendToStream(streamId, proposed, { expectedRevision: toRevision(expectedVersion) });
      const position = result.position ?? { commit: 0n, prepare: 0n };
      return { nextVersion: Number(result.nextExpectedRevision) + 1, checkpoint: checkpointOf(position), globalPosition: Number(position.prepare) };
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        const actual = typeof e.actualVersion === 'bigint' ? Number(e.actualVersion) + 1 : 0;
        throw new WrongExpectedVersion(streamId, expectedVersion, actual);
      }
      if (e instanceof MaxAppendSizeExceededError) throw new AppendSizeExceeded(streamId, size, e.maxAppendSize);
      throw e;
    }
  }

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const a of appends) results.push(await this.append(a.streamId, a.events, a.expectedVersion));
    return results;
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of records(this.client.readStream(streamId, { fromRevision: BigInt(fromVersion - 1), direction: FORWARDS }))) {
        if (resolved.event) out.push(toEvent(resolved.event));
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  }

  /**
   * Pages through $all from `checkpoint` (a forward read includes the record at its position, which is skipped)
   * until `limit` application events or the end of the log: the server's events in between never shorten a page.
   * 6.2.1 has no server-side filter for reads of $all (it always asks for none), so they are skipped here.
   */
  async readAll(checkpoint: string, limit: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    let from: Position | typeof ESDB_START = checkpoint === START ? ESDB_START : positionOf(checkpoint);
    for (;;) {
      const pageSize = Math.max(limit - out.length, 63) + 1;
      let read = 0;
      let last: Position | undefined;
      for await (const resolved of records(this.client.readAll({ fromPosition: from, maxCount: pageSize, direction: FORWARDS }))) {
        read++;
        const e = resolved.event;
        if (!e) continue;
        last = e.position;
        if (from !== ESDB_START && samePosition(e.position, from)) continue;
        if (isSystemEvent(e)) continue;
        out.push(toEvent(e));
        if (out.length === limit) return out;
      }
      if (read < pageSize || !last) return out;
      from = last;
    }
  }

  /** The newest application event: read back from the end past any run of the server's events. */
  async head(): Promise<{ checkpoint: string; globalPosition: number }> {
    for await (const resolved of records(this.client.readAll({ fromPosition: END, direction: BACKWARDS }))) {
      const e = resolved.event;
      if (e && !isSystemEvent(e)) return { checkpoint: checkpointOf(e.position), globalPosition: Number(e.position.prepare) };
    }
    return { checkpoint: START, globalPosition: 0 };
  }

  /**
   * Application events after `checkpoint`, counted back from the end of the log and at most `LAG_COUNT_LIMIT`:
   * EventStoreDB has no count, so an exact one would read the whole tail of the log, payloads included.
   */
  async countAfter(checkpoint: string): Promise<number> {
    const after = checkpoint === START ? undefined : positionOf(checkpoint);
    let n = 0;
    for await (const resolved of records(this.client.readAll({ fromPosition: END, direction: BACKWARDS }))) {
      const e = resolved.event;
      if (!e) continue;
      if (after && comparePositions(e.position, after) <= 0) break;
      if (!isSystemEvent(e) && ++n >= LAG_COUNT_LIMIT) break;
    }
    return n;
  }

  ownsCheckpoint(checkpoint: string): boolean {
    return checkpoint === START || CHECKPOINT.test(checkpoint);
  }

  async ping(): Promise<void> {
    for await (const _ of records(this.client.readAll({ maxCount: 1 }))) break;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/**
 * The records of a read; leaving the loop early cancels the read. (Breaking out of the client's stream only
 * destroys its Node stream: the gRPC call stays open, holding the server's read and the connection's window.)
 */
async function* records<E>(read: EsdbRead<E>): AsyncGenerator<E> {
  let ended = false;
  try {
    for await (const e of read) yield e;
    ended = true;
  } finally {
    if (!ended) await read.cancel();
  }
}

function toRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  return BigInt(expected - 1);
}

const CHECKPOINT = /^esdb:(\d+)\/(\d+)$/;

const checkpointOf = (p: Position): string => `esdb:${p.commit}/${p.prepare}`;

function positionOf(checkpoint: string): Position {
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new Error(`Not an EventStoreDB checkpoint: ${checkpoint}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

const samePosition = (a: Position, b: Position): boolean => a.commit === b.commit && a.prepare === b.prepare;

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}

function toEvent(e: EsdbRecordedEvent | AllStreamRecordedEvent): RecordedEvent {
  const { schemaVersion, ...metadata } = (e.metadata && !(e.metadata instanceof Uint8Array) ? e.metadata : {}) as EventData & { schemaVersion?: number };
  return upcast({
    streamId: e.streamId,
    type: e.type,
    version: Number(e.revision) + 1,
    globalPosition: Number(e.position?.prepare ?? 0n),
    checkpoint: e.position ? checkpointOf(e.position) : START,
    occurredAt: new Date(e.created),
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: e.data as EventData,
    metadata,
  });
}
