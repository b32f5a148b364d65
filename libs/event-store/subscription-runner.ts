import { EventEmitter } from 'node:events';
import { IsolationLevel } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CheckpointsOfAnotherStore, compareCheckpoints, START, type EventStore, type RecordedEvent } from './event-store.port.js';
import { UnknownProjection, type Projection, type Reactor, type SubscriptionStatus } from './subscriptions.js';
import { EventFeed } from './event-feed.js';
import { applyEvents, readsAny } from './apply-events.js';
import { errorText, isHeld, parkedEvents, type OpenParked, type ParkedEvent } from './parked-events.js';
import { checksumSettings, combineChecksums, tableChecksum } from './checksum.js';
import { inTransaction, readSql, sqlOf, type Sql } from '../database/sql.js';
import type { LeaderLock } from './leader-lock.js';
import type { Logger } from '../logging/logger.js';
import { reactorFailures } from '../metrics/metrics.js';

type Subscriber = { kind: 'projection'; p: Projection } | { kind: 'reactor'; r: Reactor };
type Kind = Subscriber['kind'];
type CheckpointRow = {
  name: string;
  checkpoint: string;
  global_position: string;
  status: SubscriptionStatus['status'];
  last_error: string | null;
  updated_at: Date;
};

/** How many pages a replaying projection may run ahead of the slowest one: the feed reads the log once and keeps only this window. */
const REPLAY_WINDOW = 3;

export interface RunnerOptions {
  /** Page size of a subscriber that is up to date. */
  batchSize?: number;
  /** Page size while rebuilding or catching up (the previous page was full). */
  replayBatchSize?: number;
  pollMs?: number;
  /** Called after each committed batch, for progress reporting. */
  onBatch?: (name: string, events: number, last: RecordedEvent) => void;
}

/**
 * Runs projections and reactors from the event store in global order.
 * Only the process holding the leader lock runs them; the others serve reads and wait.
 */
export class SubscriptionRunner {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly wake = new EventEmitter();
  private readonly behind = new Set<string>();
  /** Events replayed by each projection rebuilding in this process (counted: positions are not event counts). */
  private readonly replayAt = new Map<string, number>();
  private readonly checksums = new Map<string, { key: string; value: string }>();
  /** Projections' pages, with only the payloads some projection reads. */
  private readonly feed: EventFeed;
  /** Reactors' pages, whole. */
  private readonly reactorFeed: EventFeed;
  /** Subscribers whose last page failed as a whole, with when that was last logged. */
  private readonly loopErrors = new Map<string, { loggedAt: number; repeats: number }>();
  /** When each subscriber last looked for retries and skips the operator asked for. */
  private readonly requestsSeen = new Map<string, number>();
  private running = false;
  private looping = new Set<string>();
  private loops: Promise<void>[] = [];
  private readonly batchSize: number;
  private readonly replayBatchSize: number;
  private readonly pollMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly orm: MikroORM,
    private readonly leader: LeaderLock,
    private readonly log: Logger,
    private readonly opts: RunnerOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 500;
    this.replayBatchSize = opts.replayBatchSize ?? 5_000;
    this.pollMs = opts.pollMs ?? 200;
    this.feed = new EventFeed(store, this.replayBatchSize * (REPLAY_WINDOW + 2));
    this.reactorFeed = new EventFeed(store, this.batchSize * 2);
    this.wake.setMaxListeners(0);
  }

  addProjection(p: Projection): void {
    this.subscribers.set(p.name, { kind: 'projection', p });
    this.feed.payloadTypes = [...new Set(this.projections().flatMap((x) => x.types))].sort();
  }

  addReactor(r: Reactor): void {
    this.subscribers.set(r.name, { kind: 'reactor', r });
  }

  /** Whether start() ran (and stop() did not): this process runs the subscriptions it holds the leader lock for. */
  get started(): boolean {
    return this.running;
  }

  get names(): string[] {
    return [...this.subscribers.keys()];
  }

  projectionNames(): string[] {
    return this.projections().map((p) => p.name);
  }

  projections(): Projection[] {
    return [...this.subscribers.values()].flatMap((s) => (s.kind === 'projection' ? [s.p] : []));
  }

  /** Starts a loop per subscriber; `only` limits which (the rebuild CLI runs the projections it rebuilds). */
  async start(only: { kinds?: Kind[]; names?: string[] } = {}): Promise<void> {
    if (this.running) return;
    await this.ensureCheckpoints(this.names);
    // A subscriber stopped at a failing event by an earlier version resumes there (the event is parked if it fails
    // again); a page error of a process gone is forgotten until it happens again.
    await readSql(this.orm).query(
      `update es_checkpoints set status = case status when 'failed' then 'running' else status end, last_error = null, failed_checkpoint = null where status = 'failed' or last_error is not null`,
    );
    const runs = ([name, s]: [string, Subscriber]) => (!only.kinds || only.kinds.includes(s.kind)) && (!only.names || only.names.includes(name));
    const started = [...this.subscribers.entries()].filter(runs);
    const rows = await readSql(this.orm).query<CheckpointRow>('select name, checkpoint, status from es_checkpoints where name = any($1) order by name', [
      started.map(([name]) => name),
    ]);
    const foreign = rows.filter((r) => !this.store.ownsCheckpoint(r.checkpoint)).map((r) => r.name);
    if (foreign.length) throw new CheckpointsOfAnotherStore(this.store.name, foreign);
    this.running = true;
    this.looping = new Set(started.map(([name]) => name));
    // projections resuming a rebuild are paced from here on (how far apart they were is not known in events)
    for (const r of rows) if (r.status === 'rebuilding') this.replayAt.set(r.name, 0);
    this.loops = started.map(([name, s]) => this.loop(name, s));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.emit('wake');
    await Promise.all(this.loops);
    this.loops = [];
    this.looping.clear();
    this.replayAt.clear();
    this.feed.clear();
    this.reactorFeed.clear();
    await this.leader.release();
  }

  /**
   * Asks for a retry or skip of a parked event and waits (up to `timeoutMs`) until the leader's loop has
   * carried it out: answers the event as it then is (still `*_requested` when no leader got to it in time).
   */
  async settleParked(id: string, action: 'retry' | 'skip', timeoutMs = 10_000): Promise<{ event?: ParkedEvent; refused?: 'waiting' | 'settled' }> {
    const sql = readSql(this.orm);
    const asked = await parkedEvents.request(sql, id, action);
    if (!asked.event || asked.refused) return asked;
    this.requestsSeen.clear();
    this.nudge();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = (await parkedEvents.get(sql, id))!;
      // done when the event and the events that waited behind it are processed
      const next = event.key === null ? undefined : await parkedEvents.firstOpen(sql, event.subscriber, event.key);
      if ((!event.status.endsWith('_requested') && next?.status !== 'waiting') || Date.now() > deadline) return { event };
      await this.nextProgress(this.leader.held ? 20 : 100);
    }
  }

  /** Wake the loops now instead of at the next poll: called after a local append. */
  nudge(): void {
    this.wake.emit('wake');
  }

  /** Resolves once every healthy subscriber has processed `checkpoint` (read-your-writes for the API). */
  async waitFor(checkpoint: string, timeoutMs = 10_000, names: string[] = this.projectionNames()): Promise<boolean> {
    this.nudge();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const rows = await readSql(this.orm).query<CheckpointRow>('select name, checkpoint, status from es_checkpoints where name = any($1)', [names]);
      if (rows.every((r) => r.status === 'failed' || compareCheckpoints(r.checkpoint, checkpoint) >= 0)) return true;
      await new Promise((ok) => setTimeout(ok, this.leader.held ? 2 : 15));
    }
    return false;
  }

  /** Status of every subscriber; `checksum: false` skips hashing the read models, `'fresh'` ignores cached hashes. */
  async status(opts: { names?: string[]; checksum?: boolean | 'fresh' } = {}): Promise<SubscriptionStatus[]> {
    const sql = readSql(this.orm);
    const rows = await sql.query<CheckpointRow>('select * from es_checkpoints where name = any($1) order by name', [opts.names ?? this.names]);
    const parked = await parkedEvents.summary(
      sql,
      rows.map((r) => r.name),
    );
    const lags = new Map<string, Promise<number>>();
    const lag = (cp: string) => lags.get(cp) ?? lags.set(cp, this.store.countAfter(cp)).get(cp)!;
    return Promise.all(
      rows
        .filter((r) => this.subscribers.has(r.name))
        .map(async (r) => {
          const s = this.subscribers.get(r.name)!;
          const open = parked.get(r.name);
          return {
            name: r.name,
            kind: s.kind,
            // events are parked, or the loop cannot read or write: the subscriber goes on, but its work is incomplete
            status: r.status === 'rebuilding' ? r.status : open || r.last_error ? 'failed' : 'running',
            position: Number(r.global_position),
            checkpoint: r.checkpoint,
            lag: await lag(r.checkpoint),
            checksum: s.kind === 'projection' && opts.checksum !== false ? await this.checksum(s.p, opts.checksum === 'fresh') : null,
            lastError: r.last_error ?? open?.lastError ?? null,
            parked: open?.open ?? 0,
          };
        }),
    );
  }

  /**
   * Order-independent hash of a projection's rows. Read in one snapshot with the projection's
   * checkpoint row, and cached until that row changes (every batch and every rebuild touch it);
   * `fresh` hashes again, for rows changed behind the projection's back.
   */
  async checksum(p: Projection, fresh = false): Promise<string> {
    return this.orm.em.fork().transactional(
      async (em) => {
        const sql = sqlOf(em);
        const [row] = await sql.query<CheckpointRow>('select checkpoint, updated_at from es_checkpoints where name = $1', [p.name]);
        const key = row ? `${row.checkpoint}@${new Date(row.updated_at).getTime()}` : '';
        const cached = this.checksums.get(p.name);
        if (row && !fresh && cached?.key === key) return cached.value;
        for (const setting of checksumSettings) await sql.query(setting);
        const parts: string[] = [];
        for (const table of p.tables) parts.push(await tableChecksum(sql, table));
        const value = combineChecksums(parts);
        if (row) this.checksums.set(p.name, { key, value });
        return value;
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /** Truncates the read models and replays them from the first event; all named reset together or none. */
  async rebuild(names: string[] = this.projectionNames()): Promise<void> {
    const unique = [...new Set(names)].sort();
    const unknown = unique.filter((n) => this.subscribers.get(n)?.kind !== 'projection');
    if (unknown.length) throw new UnknownProjection(unknown);
    const tables = unique.flatMap((n) => (this.subscribers.get(n) as { p: Projection }).p.tables);
    await this.ensureCheckpoints(unique);
    await inTransaction(this.orm, async (sql) => {
      await sql.query('select name from es_checkpoints where name = any($1) order by name for update', [unique]);
      if (tables.length) await sql.query(`truncate ${tables.join(', ')}`);
      await parkedEvents.forget(sql, unique);
      await sql.query(
        `update es_checkpoints set checkpoint = $2, global_position = 0, status = 'rebuilding', last_error = null, updated_at = clock_timestamp() where name = any($1)`,
        [unique, START],
      );
    });
    // the projections replayed here start paced together from the first page
    for (const name of unique) {
      if (this.looping.has(name)) this.replayAt.set(name, 0);
      else this.replayAt.delete(name);
    }
    this.nudge();
  }

  /** Resolves when none of `names` is rebuilding any more (caught up, or failed), with their statuses. */
  async whenRebuilt(names: string[] = this.projectionNames(), timeoutMs = Number.POSITIVE_INFINITY): Promise<SubscriptionStatus[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await readSql(this.orm).query<CheckpointRow>('select name, status from es_checkpoints where name = any($1)', [names]);
      if (rows.every((r) => r.status !== 'rebuilding')) return this.status({ names, checksum: false });
      if (Date.now() > deadline) throw new Error(`rebuild of ${names.join(', ')} did not finish within ${timeoutMs} ms`);
      await this.nextProgress(20);
    }
  }

  private async ensureCheckpoints(names: string[]): Promise<void> {
    await readSql(this.orm).query('insert into es_checkpoints (name) select unnest($1::text[]) on conflict (name) do nothing', [names]);
  }

  private async loop(name: string, s: Subscriber): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.leader.acquire())) {
          await this.sleep();
          continue;
        }
        await this.settleRequests(name, s);
        if (this.aheadOfReplay(name)) {
          await this.nextProgress(this.pollMs);
          continue;
        }
        const processed = s.kind === 'projection' ? await this.projectBatch(name, s.p) : await this.reactBatch(name, s.r);
        if (this.loopErrors.delete(name)) await readSql(this.orm).query('update es_checkpoints set last_error = null where name = $1', [name]);
        if (processed === 0) await this.sleep();
      } catch (e) {
        this.replayAt.delete(name);
        await this.loopFailed(name, e);
        await this.sleep();
      }
    }
  }

  /**
   * A page that could not be read, applied or checkpointed (the database or event store is away): nothing
   * is parked, the page is tried again. Shown as the subscriber's lastError while it lasts; logged once a
   * minute, not at every poll.
   */
  private async loopFailed(name: string, e: unknown): Promise<void> {
    const now = Date.now();
    const seen = this.loopErrors.get(name);
    if (!seen || now - seen.loggedAt >= 60_000) {
      this.log.error({ subscription: name, err: e, ...(seen && { repeated: seen.repeats }) }, 'subscription loop error');
      this.loopErrors.set(name, { loggedAt: now, repeats: 0 });
    } else seen.repeats++;
    const message = `cannot process events: ${errorText(e)}`;
    await readSql(this.orm)
      .query('update es_checkpoints set last_error = $2 where name = $1', [name, message])
      .catch(() => undefined);
  }

  /**
   * Carries out the retries and skips the operator asked for (parked-events.ts), in this subscriber's loop so
   * they never run beside its pages: the event, then the events that waited behind it, in order.
   */
  private async settleRequests(name: string, s: Subscriber): Promise<void> {
    // Looked for once a second, or at once after a request in this process (requestedParked).
    if (Date.now() - (this.requestsSeen.get(name) ?? 0) < 1_000) return;
    this.requestsSeen.set(name, Date.now());
    const sql = readSql(this.orm);
    for (const request of await parkedEvents.requested(sql, name)) {
      if (request.status === 'skip_requested') await parkedEvents.settle(sql, request.id, 'skipped');
      else if (!(await this.reprocess(name, s, request))) continue;
      this.log.info({ subscription: name, event: request.globalPosition, action: request.status }, 'parked event settled');
      for (
        let next = request.key === null ? undefined : await parkedEvents.firstOpen(sql, name, request.key);
        next?.status === 'waiting';
        next = await parkedEvents.firstOpen(sql, name, request.key!)
      ) {
        if (!(await this.reprocess(name, s, next))) break;
      }
      this.wake.emit('progress');
    }
  }

  /** Processes one parked or waiting event again: true when it went through (resolved), false when it is parked again. */
  private async reprocess(name: string, s: Subscriber, parked: ParkedEvent): Promise<boolean> {
    const sql = readSql(this.orm);
    const [event] = (await this.store.readStream(parked.streamId, parked.version)).filter((e) => e.version === parked.version);
    let error: unknown = event ? undefined : new Error(`event ${parked.streamId}@${parked.version} is no longer in the store`);
    if (event && s.kind === 'projection') {
      error = await inTransaction(this.orm, async (tx) => {
        const { failed } = await applyEvents(s.p, [event], tx);
        if (!failed.length) await parkedEvents.settle(tx, parked.id, 'resolved');
        return failed[0]?.error;
      });
    } else if (event && s.kind === 'reactor') {
      error = await this.reactWithRetry(s.r, event);
      if (error === undefined) await parkedEvents.settle(sql, parked.id, 'resolved');
    }
    if (error === undefined) return true;
    await parkedEvents.failedAgain(sql, parked.id, error);
    this.log.error({ subscription: name, event: parked.globalPosition, err: error }, 'parked event failed again');
    return false;
  }

  /** One page: the read-model writes, the checkpoint and any failure commit together. */
  private async projectBatch(name: string, p: Projection): Promise<number> {
    // Looked at without a transaction first: an idle poll, or a page of only events the projection does
    // not read (most pages, for most projections), costs two statements instead of a transaction.
    const [peek] = await readSql(this.orm).query<CheckpointRow>('select checkpoint, status from es_checkpoints where name = $1', [name]);
    if (!peek) return 0;
    const peekLimit = peek.status === 'rebuilding' || this.behind.has(name) ? this.replayBatchSize : this.batchSize;
    const peeked = await this.feed.read(peek.checkpoint, peekLimit);
    if (peek.status === 'running' && !readsAny(p, peeked)) {
      if (peeked.length === peekLimit) this.behind.add(name);
      else this.behind.delete(name);
      const last = peeked[peeked.length - 1];
      if (!last) return 0;
      // Compare-and-set: a rebuild or retry in between changed the row, and this page no longer applies.
      const moved = await readSql(this.orm).query<{ name: string }>(
        `update es_checkpoints set checkpoint = $3, global_position = $4, updated_at = clock_timestamp() where name = $1 and checkpoint = $2 and status = 'running' returning name`,
        [name, peek.checkpoint, last.checkpoint, last.globalPosition],
      );
      if (moved.length) this.opts.onBatch?.(name, peeked.length, last);
      this.wake.emit('progress');
      return moved.length ? peeked.length : 0;
    }
    let applied = 0;
    let last: RecordedEvent | undefined;
    let failed: { event: RecordedEvent; error: unknown }[] = [];
    let replaying = false;
    await inTransaction(this.orm, async (sql) => {
      // Writes and checkpoint are lost or kept together, so a crash only replays: no need to wait for the WAL flush.
      await sql.query('set local synchronous_commit to off');
      const [row] = await sql.query<CheckpointRow>('select checkpoint, status from es_checkpoints where name = $1 for update', [name]);
      if (!row) return;
      const limit = row.status === 'rebuilding' || this.behind.has(name) ? this.replayBatchSize : this.batchSize;
      // The page just read is still right if nothing moved the checkpoint meanwhile (a newer read may only add to it).
      const events = row.checkpoint === peek.checkpoint && limit === peekLimit ? peeked : await this.feed.read(row.checkpoint, limit);
      if (events.length === limit) this.behind.add(name);
      else this.behind.delete(name);
      if (events.length) {
        // A projection's events wait behind a parked event of their stream; other streams go on.
        const open = await parkedEvents.open(sql, name);
        const result = await applyEvents(p, events, sql, new Set(open.keys.keys()));
        failed = result.failed;
        for (const f of failed) await parkedEvents.park(sql, name, f.event, f.event.streamId, f.error);
        await parkedEvents.hold(
          sql,
          name,
          result.held.map((event) => ({ event, key: event.streamId })),
        );
        applied = events.length;
      }
      last = events[applied - 1];
      if (last) await this.saveCheckpoint(sql, name, last);
      replaying = row.status === 'rebuilding' && events.length === limit;
      if (row.status === 'rebuilding' && !replaying) await sql.query(`update es_checkpoints set status = 'running' where name = $1`, [name]);
    });
    if (replaying) this.replayAt.set(name, (this.replayAt.get(name) ?? 0) + applied);
    else this.replayAt.delete(name);
    for (const f of failed)
      this.log.error({ subscription: name, event: f.event.globalPosition, stream: f.event.streamId, err: f.error }, 'projection parked a failing event');
    if (last) this.opts.onBatch?.(name, applied, last);
    this.wake.emit('progress');
    return applied;
  }

  /** A replaying projection this many events ahead of the slowest waits for it, so pages are read once and held briefly. */
  private aheadOfReplay(name: string): boolean {
    const mine = this.replayAt.get(name);
    return mine !== undefined && mine - Math.min(...this.replayAt.values()) >= REPLAY_WINDOW * this.replayBatchSize;
  }

  private async reactBatch(name: string, r: Reactor): Promise<number> {
    const sql = readSql(this.orm);
    const [row] = await sql.query<CheckpointRow>('select checkpoint, status from es_checkpoints where name = $1', [name]);
    if (!row) return 0;
    const { events, done, failed } = await this.reactFrom(name, r, row.checkpoint, sql);
    if (done) this.opts.onBatch?.(name, done, events[done - 1]!);
    this.wake.emit('progress');
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
    const halted = () => !this.running || !this.leader.held || readFailed !== undefined;
    const fail = (index: number, error: unknown) => {
      if (!failed || index < failed.index) failed = { index, event: events[index]!, error };
    };
    // One checkpoint write at a time, each to the end of the prefix done by then.
    let writer = Promise.resolve();
    const flush = async () => {
      while (saved < done && !saveFailed) {
        const upto = done;
        await this.saveCheckpoint(sql, name, events[upto - 1]!);
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
        const error = await this.reactWithRetry(r, event);
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
    this.wake.on('wake', nudged);
    try {
      for (;;) {
        if (more && !failed && !halted() && events.length < this.batchSize && active < limit && queued.length === 0) {
          more = false;
          const page = await this.reactorFeed.read(checkpoint, this.batchSize).catch((error: unknown) => ((readFailed = { error }), []));
          if (page.length === this.batchSize) more = true;
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
          }, this.pollMs);
          settled = () => {
            clearTimeout(timer);
            settled = undefined;
            ok();
          };
        });
      }
    } finally {
      this.wake.off('wake', nudged);
    }
    await writer;
    if (saveFailed) throw saveFailed.error;
    if (readFailed && !failed) throw readFailed.error;
    return { events, done, failed };
  }

  private async reactWithRetry(r: Reactor, event: RecordedEvent): Promise<unknown> {
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

  private async saveCheckpoint(sql: Sql, name: string, event: RecordedEvent): Promise<void> {
    await sql.query('update es_checkpoints set checkpoint = $2, global_position = $3, updated_at = clock_timestamp() where name = $1', [
      name,
      event.checkpoint,
      event.globalPosition,
    ]);
  }

  private nextProgress(ms: number): Promise<void> {
    return this.waitEvent('progress', ms);
  }

  private sleep(): Promise<void> {
    return this.waitEvent('wake', this.pollMs);
  }

  private waitEvent(event: 'wake' | 'progress', ms: number): Promise<void> {
    return new Promise((ok) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off(event, done);
        ok();
      };
      const timer = setTimeout(done, ms);
      this.wake.on(event, done);
    });
  }
}
