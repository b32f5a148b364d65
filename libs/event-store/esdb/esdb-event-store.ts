import {
  ANY,
  EventStoreDBClient,
  FORWARDS,
  BACKWARDS,
  END,
  NO_STREAM,
  START as ESDB_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type Position,
} from '@eventstore/db-client';
import {
  START,
  WrongExpectedVersion,
  type AppendResult,
  type EventData,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../event-store.port.js';
import { currentSchemaVersion, upcast } from '../upcasters.js';

/**
 * EventStoreDB adapter. Checkpoints are `<commit>/<prepare>` positions of $all.
 * EventStoreDB has no multi-stream transaction: appendMany writes the streams in order
 * (the first is the guard stream), so a crash between them leaves the later ones to a retry.
 */
export class EsdbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  constructor(private readonly client: EventStoreDBClient) {}

  static connect(url: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(url));
  }

  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ type: e.type, data: e.data, metadata: { ...(e.metadata ?? {}), schemaVersion: e.schemaVersion ?? currentSchemaVersion(e.type) } })),
        { expectedRevision: toRevision(expectedVersion) },
      );
      const position = result.position ?? { commit: 0n, prepare: 0n };
      return { nextVersion: Number(result.nextExpectedRevision) + 1, checkpoint: checkpointOf(position), globalPosition: Number(position.commit) };
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        const actual = typeof e.actualVersion === 'bigint' ? Number(e.actualVersion) + 1 : 0;
        throw new WrongExpectedVersion(streamId, expectedVersion, actual);
      }
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
      for await (const resolved of this.client.readStream(streamId, { fromRevision: BigInt(fromVersion - 1), direction: FORWARDS })) {
        if (resolved.event) out.push(toEvent(resolved.event as EsdbEvent));
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  }

  async readAll(checkpoint: string, limit: number): Promise<RecordedEvent[]> {
    const from = checkpoint === START ? ESDB_START : positionOf(checkpoint);
    const out: RecordedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition: from, maxCount: limit + 1, direction: FORWARDS })) {
      const e = resolved.event as EsdbEvent | undefined;
      if (!e || e.type.startsWith('$') || e.streamId.startsWith('$')) continue;
      const event = toEvent(e);
      if (event.checkpoint === checkpoint) continue;
      out.push(event);
      if (out.length === limit) break;
    }
    return out;
  }

  async head(): Promise<{ checkpoint: string; globalPosition: number }> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 50 })) {
      const e = resolved.event as EsdbEvent | undefined;
      if (e && !e.type.startsWith('$') && !e.streamId.startsWith('$')) return { checkpoint: checkpointOf(e.position!), globalPosition: Number(e.position!.commit) };
    }
    return { checkpoint: START, globalPosition: 0 };
  }

  async countAfter(checkpoint: string): Promise<number> {
    let n = 0;
    for (let batch = await this.readAll(checkpoint, 1000); batch.length; batch = await this.readAll(batch[batch.length - 1]!.checkpoint, 1000)) n += batch.length;
    return n;
  }

  async ping(): Promise<void> {
    for await (const _ of this.client.readAll({ maxCount: 1 })) break;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

type EsdbEvent = { streamId: string; revision: bigint; type: string; created: Date; data: unknown; metadata: unknown; position?: Position };

function toRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  return BigInt(expected - 1);
}

const checkpointOf = (p: Position): string => `${p.commit}/${p.prepare}`;

function positionOf(checkpoint: string): Position {
  const [commit, prepare] = checkpoint.split('/');
  return { commit: BigInt(commit!), prepare: BigInt(prepare!) };
}

function toEvent(e: EsdbEvent): RecordedEvent {
  const { schemaVersion, ...metadata } = (e.metadata ?? {}) as EventData & { schemaVersion?: number };
  return upcast({
    streamId: e.streamId,
    type: e.type,
    version: Number(e.revision) + 1,
    globalPosition: Number(e.position?.commit ?? 0n),
    checkpoint: e.position ? checkpointOf(e.position) : START,
    occurredAt: new Date(e.created),
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: e.data as EventData,
    metadata,
  });
}
