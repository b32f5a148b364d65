import {
  BACKWARDS,
  MaxAppendSizeExceededError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type Direction,
  type EventData,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { checkCommit } from '../../idempotence.js';
import { ESDB_MAX_APPEND_SIZE, sizeOnDisk, type EsdbClient, type EsdbRead } from '../../esdb/esdb-client.js';

export interface EsdbSemanticsOptions {
  /** The server's MaxAppendSize (default 1 MiB). */
  maxAppendSize?: number;
  /** How many recent event ids the idempotence check of `any`/`stream_exists` appends remembers (EventStoreDB: a bounded cache). */
  recentIds?: number;
  /** Write the server's own events: a burst at start and links of the system projections after each append (default true). */
  systemEvents?: boolean;
}

/** What a fault does to the next append to a matching stream: nothing written (`before`), or written but unacknowledged (`after`). */
export type FaultPoint = 'before' | 'after';

/** The error a fault throws, as a lost connection or a timeout would. */
export class SimulatedFault extends Error {
  constructor(
    readonly streamName: string,
    readonly point: FaultPoint,
  ) {
    super(`simulated failure ${point === 'before' ? 'before writing to' : 'after writing to (unacknowledged)'} ${streamName}`);
  }
}

type Stored = {
  streamId: string;
  id: string;
  revision: number;
  type: string;
  created: Date;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
  /** Log position (byte offset) of the record: commit = prepare for a write committed on its own, as in 20.x+. */
  position: bigint;
};

type Fault = { matches: (stream: string) => boolean; point: FaultPoint };

/** Fixed part of a prepare record in the log (lengths, flags, positions, ids, timestamp), so positions grow like a real log's. */
const RECORD_OVERHEAD = 93;
const CATEGORY_LINK = '$>';

/**
 * An in-process EventStoreDB (≤ 24.10) with its guarantees and no more, stricter than a real one where that
 * finds bugs earlier:
 * - one append = one stream; nothing spans streams. Every call waits a turn of the event loop first, so
 *   concurrent callers interleave (an `appendMany` of two callers mixes their streams);
 * - expected revisions and idempotence exactly as the server decides them (`idempotence.ts`), the ids of
 *   `any`/`stream_exists` appends remembered in a small bounded cache;
 * - $all positions are byte offsets of a log (growing with each record's size), with the server's own events
 *   (a burst at start, then `$>` links into `$ce-` and `$et-` streams, written a turn after each append as the
 *   system projections do) between the application's;
 * - appends over MaxAppendSize refused with the client's `MaxAppendSizeExceededError`;
 * - a read left early without `cancel()` stays open (`openReads`), as the gRPC call does;
 * - `failAppend` makes an append fail before or after it is written, for the crash-between-streams cases.
 * It serves the client surface the real adapter uses (`connect()`), so `EsdbEventStore` runs on it unchanged.
 */
export class EsdbSemanticsServer {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private readonly recent = new Map<string, { streamId: string; revision: number }>();
  private readonly faults: Fault[] = [];
  private nextPosition = 0n;
  /** Reads neither iterated to their end nor cancelled. */
  openReads = 0;
  readonly maxAppendSize: number;
  private readonly recentIds: number;
  private readonly systemEvents: boolean;

  constructor(options: EsdbSemanticsOptions = {}) {
    this.maxAppendSize = options.maxAppendSize ?? ESDB_MAX_APPEND_SIZE;
    this.recentIds = options.recentIds ?? 10_000;
    this.systemEvents = options.systemEvents ?? true;
    if (this.systemEvents) this.writeSystemEvents(64);
  }

  connect(): EsdbClient {
    return new SemanticsClient(this);
  }

  /** The next append to a stream matching `stream` fails at `point` (once). */
  failAppend(stream: string | RegExp | ((name: string) => boolean), point: FaultPoint = 'before'): void {
    const matches = typeof stream === 'string' ? (s: string) => s === stream : stream instanceof RegExp ? (s: string) => stream.test(s) : stream;
    this.faults.push({ matches, point });
  }

  /** Appends `n` of the server's own events (statistics) to the end of $all now. */
  writeSystemEvents(n: number, stream = '$stats-127.0.0.1:2113'): void {
    for (let i = 0; i < n; i++)
      this.write(stream, [{ id: crypto.randomUUID(), type: '$statsCollected', isJson: true, data: json({ 'proc-cpu': i }), metadata: new Uint8Array() }]);
  }

  /** Appended events, the server's included (for assertions). */
  get records(): readonly Readonly<Stored>[] {
    return this.log;
  }

  append(streamName: string, events: EventData[], expectedRevision: AppendExpectedRevision): AppendResult {
    const proposed = events.map((e) => ({
      id: e.id,
      type: e.type,
      isJson: e.contentType === 'application/json',
      data: e.contentType === 'application/json' ? json(e.data) : (e.data as Uint8Array),
      metadata: e.metadata === undefined ? new Uint8Array() : e.metadata instanceof Uint8Array ? e.metadata : json(e.metadata),
    }));
    const size = proposed.reduce((n, e) => n + sizeOnDisk(e.type, e.data.byteLength, e.metadata.byteLength), 0);
    if (size > this.maxAppendSize) throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendSize);
    const fault = this.takeFault(streamName);
    if (fault?.point === 'before') throw new SimulatedFault(streamName, 'before');
    const stream = this.streams.get(streamName) ?? [];
    const expected = expectedRevision === 'no_stream' ? -1 : typeof expectedRevision === 'bigint' ? Number(expectedRevision) : expectedRevision;
    const check = checkCommit(
      expected,
      proposed.map((e) => e.id),
      {
        current: stream.length - 1,
        idAt: (revision) => stream[revision]?.id,
        recent: (id) => {
          const known = this.recent.get(id);
          return known?.streamId === streamName ? known.revision : undefined;
        },
      },
    );
    if (check.decision === 'wrong_expected_version') {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: expectedRevision,
        current: stream.length ? BigInt(stream.length - 1) : 'no_stream',
      });
    }
    let result: AppendResult;
    if (check.decision === 'idempotent') {
      const last = stream[check.last]!;
      result = { success: true, nextExpectedRevision: BigInt(check.last), position: positionOf(last) };
    } else {
      const written = this.write(streamName, proposed);
      // The server answers the commit's log position: a multi-event append's first event, not its last.
      result = { success: true, nextExpectedRevision: BigInt(written[written.length - 1]!.revision), position: positionOf(written[0]!) };
      if (this.systemEvents && !streamName.startsWith('$')) setImmediate(() => this.writeLinks(written));
    }
    if (fault?.point === 'after') throw new SimulatedFault(streamName, 'after');
    return result;
  }

  readStream(streamName: string, from: ReadRevision, direction: Direction, maxCount: number): Stored[] {
    const stream = this.streams.get(streamName);
    if (!stream) throw new StreamNotFoundError(undefined, streamName);
    const forwards = direction !== BACKWARDS;
    const start = from === 'start' ? 0 : from === 'end' ? stream.length - 1 : Number(from);
    const picked = forwards ? stream.slice(start) : stream.slice(0, start + 1).reverse();
    return picked.slice(0, maxCount);
  }

  /** Forwards: records at or after `from`. Backwards: records before `from` (END: all), newest first. */
  *readAll(from: ReadPosition, direction: Direction, maxCount: number): Generator<Stored> {
    let yielded = 0;
    if (direction === BACKWARDS) {
      const bound = from === 'end' ? this.nextPosition : from === 'start' ? 0n : from.commit;
      for (let i = this.indexAtOrAfter(bound) - 1; i >= 0 && yielded < maxCount; i--, yielded++) yield this.log[i]!;
      return;
    }
    const bound = from === 'start' ? 0n : from === 'end' ? this.nextPosition : from.commit;
    // live: records appended while the read runs are included, as a server's paged read would include them
    for (let i = this.indexAtOrAfter(bound); i < this.log.length && yielded < maxCount; i++, yielded++) yield this.log[i]!;
  }

  private indexAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private takeFault(streamName: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.matches(streamName));
    return i < 0 ? undefined : this.faults.splice(i, 1)[0];
  }

  private write(streamName: string, events: Omit<Stored, 'streamId' | 'revision' | 'created' | 'position'>[]): Stored[] {
    const stream = this.streams.get(streamName) ?? this.streams.set(streamName, []).get(streamName)!;
    return events.map((e) => {
      const stored: Stored = { ...e, streamId: streamName, revision: stream.length, created: new Date(), position: this.nextPosition };
      this.nextPosition += BigInt(RECORD_OVERHEAD + Buffer.byteLength(streamName) + Buffer.byteLength(e.type) + e.data.byteLength + e.metadata.byteLength);
      stream.push(stored);
      this.log.push(stored);
      this.remember(stored);
      return stored;
    });
  }

  private remember(e: Stored): void {
    this.recent.delete(e.id);
    this.recent.set(e.id, { streamId: e.streamId, revision: e.revision });
    if (this.recent.size > this.recentIds) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The $by_category and $by_event_type system projections' links to the events just written. */
  private writeLinks(events: Stored[]): void {
    for (const e of events) {
      const link = () => ({
        id: crypto.randomUUID(),
        type: CATEGORY_LINK,
        isJson: false,
        data: new TextEncoder().encode(`${e.revision}@${e.streamId}`),
        metadata: json({ $v: '1:-1:1:4', $c: Number(e.position), $p: Number(e.position) }),
      });
      this.write(`$ce-${e.streamId.split('-')[0]}`, [link()]);
      this.write(`$et-${e.type}`, [link()]);
    }
  }
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

const positionOf = (e: Stored): Position => ({ commit: e.position, prepare: e.position });

/** What the client hands out for a stored record: a fresh copy, decoded as the client decodes it. */
function recorded(e: Stored) {
  const metadata = e.metadata.byteLength ? parseOr(e.metadata) : undefined;
  return {
    streamId: e.streamId,
    id: e.id,
    revision: BigInt(e.revision),
    type: e.type,
    created: e.created,
    isJson: e.isJson,
    data: e.isJson ? parseOr(e.data) : e.data.slice(),
    metadata,
    position: positionOf(e),
  };
}

function parseOr(bytes: Uint8Array): unknown {
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return bytes.slice();
  }
}

/** The client surface over the server: every call waits a turn of the event loop, as a network round trip would. */
class SemanticsClient implements EsdbClient {
  private disposed = false;
  constructor(private readonly server: EsdbSemanticsServer) {}

  async appendToStream(streamName: string, events: EventData[], options: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult> {
    await this.turn();
    return this.server.append(streamName, events, options.expectedRevision);
  }

  readStream(streamName: string, options: { fromRevision?: ReadRevision; direction?: Direction; maxCount?: number | bigint }): EsdbRead<ResolvedEvent> {
    return new SemanticsRead(this.server, this.turn(), () =>
      this.server
        .readStream(streamName, options.fromRevision ?? 'start', options.direction ?? 'forwards', Number(options.maxCount ?? Number.MAX_SAFE_INTEGER))
        .map((e) => ({ event: recorded(e) }) as ResolvedEvent),
    );
  }

  readAll(options: { fromPosition?: ReadPosition; direction?: Direction; maxCount?: number | bigint }): EsdbRead<AllStreamResolvedEvent> {
    const records = () =>
      this.server.readAll(options.fromPosition ?? 'start', options.direction ?? 'forwards', Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    return new SemanticsRead(this.server, this.turn(), function* () {
      for (const e of records()) yield { event: recorded(e), commitPosition: e.position } as AllStreamResolvedEvent;
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  private async turn(): Promise<void> {
    await new Promise((ok) => setImmediate(ok));
    if (this.disposed) throw new Error('client is disposed');
  }
}

/** A read as the client's: iterating it to the end or `cancel()` ends it; leaving the loop early does not. */
class SemanticsRead<E> implements EsdbRead<E> {
  private open = true;

  constructor(
    private readonly server: EsdbSemanticsServer,
    private readonly started: Promise<void>,
    private readonly source: () => Iterable<E>,
  ) {
    server.openReads++;
  }

  async cancel(): Promise<void> {
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<E> {
    let items: Iterable<E>;
    try {
      await this.started;
      items = this.source();
    } catch (e) {
      this.end();
      throw e;
    }
    for (const item of items) {
      if (!this.open) return;
      yield item;
      // a slow consumer lets writers in between, as a streamed response does
      await Promise.resolve();
    }
    this.end();
  }

  private end(): void {
    if (!this.open) return;
    this.open = false;
    this.server.openReads--;
  }
}
