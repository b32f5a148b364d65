import { createHash } from 'node:crypto';
import { foldEvents, type StreamRef } from './aggregate.js';
import {
  WrongExpectedVersion,
  type AppendResult,
  type Event,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from './event-store.port.js';

/** A fold over a stream's stored events, for streams not (yet) declared as an `Aggregate`. */
export type Evolve<S> = (state: S, event: RecordedEvent) => S;

/** The time a decision is taken at: injected (`CLOCK`), so tests and replays control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A stream as a decision read it. */
export interface Loaded<S, E extends Event> {
  readonly ref: StreamRef<S, E>;
  readonly streamId: string;
  readonly state: S;
  /** 0: the stream does not exist. */
  readonly version: number;
}

export interface CommandContext {
  /** The clock's time for this attempt. */
  readonly now: Date;
  /** The stream's state and version, read now. */
  load<S, E extends Event>(ref: StreamRef<S, E>): Promise<Loaded<S, E>>;
  /**
   * Appends `events` after the appends decided before it, at the version `loaded` was read at (or `expected`). Nothing
   * is written until the decision returns; on a version conflict the whole decision is taken again on a fresh read.
   */
  append<S, E extends Event>(target: Loaded<S, E>, events: readonly E[], expected?: ExpectedVersion): void;
  /** Appends to a stream not read (a new one: `no_stream`, or a claim at a version read elsewhere). */
  appendTo<S, E extends Event>(ref: StreamRef<S, E>, events: readonly E[], expected: ExpectedVersion): void;
  /** `load` for a stream folded by a plain `evolve` (not declared as an `Aggregate`). */
  loadStream<S>(streamId: string, initial: S, evolve: Evolve<S>): Promise<{ streamId: string; state: S; version: number; events: readonly RecordedEvent[] }>;
  /**
   * `loadStream` answered without a read on the first attempt by what the caller already knows of the stream (a cache
   * of its own last append, a read model's row at the version it applied): a version conflict on it shows that it was
   * stale, and the decision is taken again on a read.
   */
  assume<S>(streamId: string, known: { state: S; version: number }, initial: S, evolve: Evolve<S>): Promise<{ streamId: string; state: S; version: number }>;
  /**
   * `appendTo` without the aggregate's event-type check, for such streams. `retry`: the version was read elsewhere (a read
   * model's guard version), so a conflict takes the decision again, as for a stream loaded here.
   */
  appendRaw(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, opts?: { retry: boolean }): void;
}

export interface Handled<R> {
  result: R;
  /** Of the last event appended: what to wait for before reading read models. */
  checkpoint?: string;
  /** Events appended (0: the decision changed nothing). */
  appended: number;
}

/** How often a decision is taken again after another writer got to one of its streams first. */
export const CONFLICT_RETRIES = 8;

/**
 * The event id of the `index`-th event a command appends to a stream at `expected`: derived from the command's identity
 * and the event's position, so the same decision sent again (a retry after a lost answer, a crash and a redelivery)
 * carries the same ids and the store writes it once (`EventStore.append`); a decision taken on a stream that moved
 * since has other positions, hence other ids.
 */
export function commandEventId(commandId: string, streamId: string, expected: ExpectedVersion, index: number): string {
  const position = typeof expected === 'number' ? String(expected + index + 1) : expected === 'no_stream' ? String(index + 1) : `${expected}:${index}`;
  const h = createHash('sha256').update(`${commandId}\u0000${streamId}\u0000${position}`).digest('hex');
  // A version-4-shaped UUID (the stores keep ids as UUIDs).
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A version conflict takes the decision again when it is on a stream the decision read (it decided on a stale state);
 * on a stream it appended to without reading (a claim at `no_stream`), the conflict is the answer ("taken") and is thrown.
 *
 * The one command primitive (emmett's `handleCommand`, for N streams): `decide` reads the streams it needs through the
 * context, returns its result and leaves its appends in the context; they are written in the order given, each at the
 * version read, with deterministic event ids. A version conflict on any of them takes the whole decision again on a
 * fresh read (at most `CONFLICT_RETRIES` times). Any other failure is thrown.
 *
 * Several streams are written by one `appendMany`: all or nothing where the store has `atomicAppendMany` (Postgres),
 * stream by stream otherwise (EventStoreDB), where a failure or a crash can leave the first streams written. A decision
 * over several streams must therefore order its appends so that every prefix is a state the domain accepts (a claim
 * before what it guards), and be resumable: taken again on what a crashed attempt left, it completes it (the streams
 * already written read as done and are not appended again). docs/architecture.md names the design of each.
 */
export async function handleCommand<R>(
  store: EventStore,
  clock: Clock,
  commandId: string,
  decide: (ctx: CommandContext) => R | Promise<R>,
  /** Before a decision is taken again (a read model catching up with the store). */
  beforeRetry?: () => Promise<void>,
): Promise<Handled<R>> {
  for (let attempt = 0; ; attempt++) {
    const appends: StreamAppend[] = [];
    const read = new Set<string>();
    const readStream = async (streamId: string) => {
      read.add(streamId);
      const events = await store.readStream(streamId);
      return { events, version: events.length ? events[events.length - 1]!.version : 0 };
    };
    const ctx: CommandContext = {
      now: clock.now(),
      async load(ref) {
        const { events, version } = await readStream(ref.streamId);
        return { ref, streamId: ref.streamId, state: foldEvents(ref.aggregate, events), version };
      },
      async loadStream(streamId, initial, evolve) {
        const { events, version } = await readStream(streamId);
        return { streamId, state: events.reduce(evolve, initial), version, events };
      },
      async assume(streamId, known, initial, evolve) {
        if (attempt > 0) return ctx.loadStream(streamId, initial, evolve);
        read.add(streamId);
        return { streamId, state: known.state, version: known.version };
      },
      appendRaw(streamId, events, expected, opts) {
        if (opts?.retry) read.add(streamId);
        if (events.length)
          appends.push({
            streamId,
            expectedVersion: expected,
            events: events.map((e, i) => ({ ...e, id: e.id ?? commandEventId(commandId, streamId, expected, i) })),
          });
      },
      append(target, events, expected) {
        if (events.length) appends.push(appendOf(commandId, target.ref, events, expected ?? target.version));
      },
      appendTo(ref, events, expected) {
        if (events.length) appends.push(appendOf(commandId, ref, events, expected));
      },
    };
    const result = await decide(ctx);
    if (appends.length === 0) return { result, appended: 0 };
    try {
      const results: AppendResult[] =
        appends.length === 1 ? [await store.append(appends[0]!.streamId, appends[0]!.events, appends[0]!.expectedVersion)] : await store.appendMany(appends);
      return { result, checkpoint: results[results.length - 1]?.checkpoint, appended: appends.reduce((n, a) => n + a.events.length, 0) };
    } catch (e) {
      if (!(e instanceof WrongExpectedVersion) || !read.has(e.streamId) || attempt >= CONFLICT_RETRIES) throw e;
      await beforeRetry?.();
    }
  }
}

function appendOf<S, E extends Event>(commandId: string, ref: StreamRef<S, E>, events: readonly E[], expected: ExpectedVersion): StreamAppend {
  const known = new Set<string>(ref.aggregate.types);
  const stranger = events.find((e) => !known.has(e.type));
  if (stranger) throw new Error(`${stranger.type} is not an event of ${ref.aggregate.category} streams (${ref.streamId})`);
  return {
    streamId: ref.streamId,
    expectedVersion: expected,
    events: events.map((e, i): NewEvent => ({ ...e, id: (e as NewEvent).id ?? commandEventId(commandId, ref.streamId, expected, i) })),
  };
}
