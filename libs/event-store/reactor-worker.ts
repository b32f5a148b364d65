import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore, RecordedEvent } from './event-store.port.js';
import type { Reactor } from './subscriptions.js';
import type { EventFeed } from './event-feed.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { RunnerSignals } from './runner-signals.js';
import { isHeld, parkedEvents, type OpenParked } from './parked-events.js';
import { readSql, type Sql } from '../database/sql.js';
import type { Logger } from '../logging/logger.js';
import { reactorFailures } from '../metrics/metrics.js';

/** Runs reactors over pages of the log: one partition key in log order, different keys concurrently (`reactFrom`). */
export class ReactorWorker {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: EventStore,
    private readonly feed: EventFeed,
    private readonly checkpoints: CheckpointStore,
    private readonly signals: RunnerSignals,
    private readonly log: Logger,
    private readonly sizes: { batchSize: number; pollMs: number },
    /** False once the runner stops or loses the leader lock: nothing more is started. */
    private readonly active: () => boolean,
    private readonly onBatch?: (name: string, events: number, last: RecordedEvent) => void,
  ) {}

  /** Reacts from `r`'s checkpoint on, up to a page: how many events the checkpoint passed. */
  async page(name: string, r: Reactor): Promise<number> {
    const sql = readSql(this.orm);
    const row = await this.checkpoints.get(name);
    if (!row) return 0;
    const { events, done, failed } = await this.reactFrom(name, r, row.checkpoint, sql);
    if (done) this.onBatch?.(name, done, events[done - 1]!);
    this.signals.progressed();
    // Not parked: the database or event store was away. The checkpoint stays before the event; it is tried again.
    if (failed) throw failed.error;
    return done;
  }

  /** Whether the database and the event store answer: a failure while they do not is no fault of the event. */
  private async reachable(): Promise<boolean> {
    const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, fail) => setTimeout(() => fail(new Error('timeout')), 5_000).unref())]);
    try {
      await within(Promise.all([readSql(this.orm).query('select 1'), this.store.ping()]));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Reacts to the events after `checkpoint`: one `partitionKey` in log order, different keys concurrently
   * (at most `r.concurrency`; one at a time without `partitionKey`). While a slot is free it reads on (up to
   * a page of events in all), so a slow event holds up only its own key. The checkpoint follows the longest
   * prefix that is done, so it never passes an unfinished event. An event that still fails after the retries
   * is parked (parked-events.ts) and counts as done; later events of its key (or, without `partitionKey`, of
   * its stream) are held behind it, and the others go on. Only when the database or event store is away is
   * an event not parked but failed: it starts nothing after it, the events before it still run, and the
   * reactor stops at the earliest failed event. Answers the events read, how many of them the checkpoint
   * passed, and the failed event.
   */
  private async reactFrom(name: string, r: Reactor, checkpoint: string, sql: Sql) {
    const limit = r.partitionKey ? Math.max(1, r.concurrency ?? 8) : 1;
    const events: RecordedEvent[] = [];
    const finished: boolean[] = [];
    let done = 0;
    let saved = 0;
    let failed: { index: number; event: RecordedEvent; error: unknown } | undefined;
    const open: OpenParked = await parkedEvents.open(sql, name);
    let saveFailed: { error: unknown } | undefined;
    let readFailed: { error: unknown } | undefined;
    // Stopping, a lost leader lock or a failed read start nothing more; what runs finishes first.
    const halted = () => !this.active() || readFailed !== undefined;
    const fail = (index: number, error: unknown) => {
      if (!failed || index < failed.index) failed = { index, event: events[index]!, error };
    };
    // One checkpoint write at a time, each to the end of the prefix done by then.
    let writer = Promise.resolve();
    const flush = async () => {
      while (saved < done && !saveFailed) {
        const upto = done;
        await this.checkpoints.save(name, events[upto - 1]!, sql);
        saved = upto;
      }
    };
    let active = 0;
    const queued: (() => void)[] = [];
    const acquire = () => (active < limit ? (active++, Promise.resolve()) : new Promise<void>((ok) => queued.push(ok)));
    const release = () => (queued.length ? queued.shift()!() : active--);
    const skip = (index: number) => halted() || (failed !== undefined && index > failed.index);
    const finish = (index: number) => {
      finished[index] = true;
      while (done < events.length && finished[done]) done++;
      writer = writer.then(flush).catch((error: unknown) => void (saveFailed = { error }));
    };
    /** Parks a failed event (or fails it, if the failure is the database's or event store's) and holds its key. */
    const park = async (index: number, key: string | null, error: unknown) => {
      const event = events[index]!;
      if (!(await this.reachable())) return fail(index, error);
      try {
        await parkedEvents.park(sql, name, event, key, error);
      } catch (e) {
        return fail(index, e);
      }
      open.positions.add(event.globalPosition);
      if (key !== null && !(open.keys.get(key)! <= event.globalPosition)) open.keys.set(key, event.globalPosition);
      this.log.error({ subscription: name, event: event.globalPosition, stream: event.streamId, err: error }, 'reactor parked a failing event');
      finish(index);
    };
    const run = async (index: number, key: string | null) => {
      if (skip(index)) return;
      await acquire();
      try {
        if (skip(index)) return;
        const event = events[index]!;
        if (isHeld(open, event, key)) {
          await parkedEvents.hold(sql, name, [{ event, key }]).then(
            () => finish(index),
            (e: unknown) => fail(index, e),
          );
          return;
        }
        const error = await reactWithRetry(r, event);
        if (error !== undefined) return await park(index, key, error);
        finish(index);
      } finally {
        release();
      }
    };
    let pending = 0;
    let settled: (() => void) | undefined;
    const tails = new Map<string, Promise<void>>();
    const schedule = (index: number) => {
      const event = events[index]!;
      let key: string | undefined;
      let parkKey: string | null;
      let task: Promise<void>;
      try {
        key = r.partitionKey ? r.partitionKey(event) : '';
        parkKey = r.partitionKey ? (key ?? null) : event.streamId;
        task = key === undefined ? run(index, parkKey) : (tails.get(key) ?? Promise.resolve()).then(() => run(index, parkKey));
      } catch (e) {
        task = park(index, event.streamId, e);
      }
      if (key !== undefined) tails.set(key, task);
      pending++;
      void task.finally(() => {
        pending--;
        settled?.();
      });
    };
    // `more`: the log may hold events past `checkpoint` that were not read (set by a nudge or the poll interval).
    let more = true;
    const nudged = () => {
      more = true;
      settled?.();
    };
    this.signals.onWake(nudged);
    try {
      for (;;) {
        if (more && !failed && !halted() && events.length < this.sizes.batchSize && active < limit && queued.length === 0) {
          more = false;
          const page = await this.feed.read(checkpoint, this.sizes.batchSize).catch((error: unknown) => ((readFailed = { error }), []));
          if (page.length === this.sizes.batchSize) more = true;
          for (const event of page) {
            events.push(event);
            finished.push(false);
            schedule(events.length - 1);
          }
          if (page.length) checkpoint = page[page.length - 1]!.checkpoint;
          continue;
        }
        if (pending === 0) break;
        // until an event is done, a nudge, or the poll interval
        await new Promise<void>((ok) => {
          const timer = setTimeout(() => {
            more = true;
            settled = undefined;
            ok();
          }, this.sizes.pollMs);
          settled = () => {
            clearTimeout(timer);
            settled = undefined;
            ok();
          };
        });
      }
    } finally {
      this.signals.offWake(nudged);
    }
    await writer;
    if (saveFailed) throw saveFailed.error;
    if (readFailed && !failed) throw readFailed.error;
    return { events, done, failed };
  }
}

/** Reacts to `event`, tried 5 times with a growing pause: the last error, or undefined when it went through. */
export async function reactWithRetry(r: Reactor, event: RecordedEvent): Promise<unknown> {
  let error: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await new Promise((ok) => setTimeout(ok, 20 * 2 ** (attempt - 1)));
    try {
      await r.react(event);
      return undefined;
    } catch (e) {
      error = e ?? new Error('reactor threw nothing');
    }
  }
  reactorFailures.inc({ reactor: r.name });
  return error;
}
