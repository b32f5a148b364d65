import type { MikroORM } from '@mikro-orm/postgresql';
import { CheckpointsOfAnotherStore, compareCheckpoints, type EventStore, type RecordedEvent } from './event-store.port.js';
import type { Projection, Reactor, SubscriptionStatus } from './subscriptions.js';
import type { Subscriber, SubscriberKind } from './subscriber.js';
import { EventFeed } from './event-feed.js';
import { errorText, type ParkedEvent } from './parked-events.js';
import { CheckpointStore } from './checkpoint-store.js';
import { RunnerSignals } from './runner-signals.js';
import { ReplayPacing, REPLAY_WINDOW } from './replay-pacing.js';
import { ProjectionWorker } from './projection-worker.js';
import { ReactorWorker } from './reactor-worker.js';
import { ParkedEventRequests } from './parked-event-requests.js';
import { SubscriptionAdmin } from './subscription-admin.js';
import type { LeaderLock } from './leader-lock.js';
import type { Logger } from '../logging/logger.js';

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
 * Runs projections and reactors from the event store in global order: a loop per subscriber, each page handed to the
 * `ProjectionWorker` or the `ReactorWorker`; checkpoints in the `CheckpointStore`; the operator's side in
 * `SubscriptionAdmin` and `ParkedEventRequests`. Only the process holding the leader lock runs the loops; the others
 * serve reads and wait.
 */
export class SubscriptionRunner {
  /** The subscribers' checkpoints: also where readers of read models look whether a projection has got to an event. */
  readonly checkpoints: CheckpointStore;
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly signals = new RunnerSignals();
  private readonly pacing: ReplayPacing;
  /** Projections' pages, with only the payloads some projection reads. */
  private readonly feed: EventFeed;
  /** Reactors' pages, whole. */
  private readonly reactorFeed: EventFeed;
  private readonly projectionWorker: ProjectionWorker;
  private readonly reactorWorker: ReactorWorker;
  private readonly parked: ParkedEventRequests;
  private readonly admin: SubscriptionAdmin;
  /** Subscribers whose last page failed as a whole, with when that was last logged. */
  private readonly loopErrors = new Map<string, { loggedAt: number; repeats: number }>();
  private running = false;
  private looping = new Set<string>();
  private loops: Promise<void>[] = [];
  private readonly pollMs: number;

  constructor(
    private readonly store: EventStore,
    orm: MikroORM,
    private readonly leader: LeaderLock,
    private readonly log: Logger,
    opts: RunnerOptions = {},
  ) {
    const sizes = { batchSize: opts.batchSize ?? 500, replayBatchSize: opts.replayBatchSize ?? 5_000, pollMs: opts.pollMs ?? 200 };
    this.pollMs = sizes.pollMs;
    this.checkpoints = new CheckpointStore(orm);
    this.pacing = new ReplayPacing(sizes.replayBatchSize);
    this.feed = new EventFeed(store, sizes.replayBatchSize * (REPLAY_WINDOW + 2));
    this.reactorFeed = new EventFeed(store, sizes.batchSize * 2);
    const nudge = () => this.nudge();
    this.projectionWorker = new ProjectionWorker(orm, this.feed, this.checkpoints, this.pacing, this.signals, log, sizes, opts.onBatch);
    this.reactorWorker = new ReactorWorker(
      orm,
      store,
      this.reactorFeed,
      this.checkpoints,
      this.signals,
      log,
      sizes,
      () => this.running && this.leader.held,
      opts.onBatch,
    );
    this.parked = new ParkedEventRequests(orm, store, leader, this.signals, log, nudge);
    this.admin = new SubscriptionAdmin(orm, store, this.checkpoints, this.subscribers, this.pacing, () => this.looping, this.signals, nudge);
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
  async start(only: { kinds?: SubscriberKind[]; names?: string[] } = {}): Promise<void> {
    if (this.running) return;
    await this.checkpoints.ensure(this.names);
    await this.checkpoints.clearFailures();
    const runs = ([name, s]: [string, Subscriber]) => (!only.kinds || only.kinds.includes(s.kind)) && (!only.names || only.names.includes(name));
    const started = [...this.subscribers.entries()].filter(runs);
    const rows = await this.checkpoints.positions(started.map(([name]) => name));
    const foreign = rows.filter((r) => !this.store.ownsCheckpoint(r.checkpoint)).map((r) => r.name);
    if (foreign.length) throw new CheckpointsOfAnotherStore(this.store.name, foreign);
    this.running = true;
    this.looping = new Set(started.map(([name]) => name));
    // projections resuming a rebuild are paced from here on (how far apart they were is not known in events)
    for (const r of rows) if (r.status === 'rebuilding') this.pacing.start(r.name);
    this.loops = started.map(([name, s]) => this.loop(name, s));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signals.wake();
    await Promise.all(this.loops);
    this.loops = [];
    this.looping.clear();
    this.pacing.clear();
    this.feed.clear();
    this.reactorFeed.clear();
    await this.leader.release();
  }

  /**
   * Asks for a retry or skip of a parked event and waits (up to `timeoutMs`) until the leader's loop has
   * carried it out: answers the event as it then is (still `*_requested` when no leader got to it in time).
   */
  settleParked(id: string, action: 'retry' | 'skip', timeoutMs = 10_000): Promise<{ event?: ParkedEvent; refused?: 'waiting' | 'settled' }> {
    return this.parked.settle(id, action, timeoutMs);
  }

  /** Wake the loops now instead of at the next poll: called after a local append. */
  nudge(): void {
    this.signals.wake();
  }

  /** Resolves once every healthy subscriber has processed `checkpoint` (read-your-writes for the API). */
  async waitFor(checkpoint: string, timeoutMs = 10_000, names: string[] = this.projectionNames()): Promise<boolean> {
    this.nudge();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const rows = await this.checkpoints.positions(names);
      if (rows.every((r) => r.status === 'failed' || compareCheckpoints(r.checkpoint, checkpoint) >= 0)) return true;
      await new Promise((ok) => setTimeout(ok, this.leader.held ? 2 : 15));
    }
    return false;
  }

  /** Status of every subscriber; `checksum: false` skips hashing the read models, `'fresh'` ignores cached hashes. */
  status(opts: { names?: string[]; checksum?: boolean | 'fresh' } = {}): Promise<SubscriptionStatus[]> {
    return this.admin.status(opts);
  }

  /** Order-independent hash of a projection's rows (see `SubscriptionAdmin.checksum`). */
  checksum(p: Projection, fresh = false): Promise<string> {
    return this.admin.checksum(p, fresh);
  }

  /** Truncates the read models and replays them from the first event; all named reset together or none. */
  rebuild(names: string[] = this.projectionNames()): Promise<void> {
    return this.admin.rebuild(names);
  }

  /** Resolves when none of `names` is rebuilding any more (caught up, or failed), with their statuses. */
  whenRebuilt(names: string[] = this.projectionNames(), timeoutMs = Number.POSITIVE_INFINITY): Promise<SubscriptionStatus[]> {
    return this.admin.whenRebuilt(names, timeoutMs);
  }

  private async loop(name: string, s: Subscriber): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.leader.acquire())) {
          await this.idle();
          continue;
        }
        await this.parked.carryOut(name, s);
        if (this.pacing.ahead(name)) {
          await this.signals.nextProgress(this.pollMs);
          continue;
        }
        const processed = s.kind === 'projection' ? await this.projectionWorker.page(name, s.p) : await this.reactorWorker.page(name, s.r);
        if (this.loopErrors.delete(name)) await this.checkpoints.setLastError(name, null);
        if (processed === 0) await this.idle();
      } catch (e) {
        this.pacing.end(name);
        await this.loopFailed(name, e);
        await this.idle();
      }
    }
  }

  /** Until a wake or the poll interval; not at all once stopping (a stop during the last await would otherwise go unheard). */
  private idle(): Promise<void> {
    return this.running ? this.signals.sleep(this.pollMs) : Promise.resolve();
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
    await this.checkpoints.setLastError(name, `cannot process events: ${errorText(e)}`).catch(() => undefined);
  }
}
