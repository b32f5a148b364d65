import type { MikroORM } from '@mikro-orm/postgresql';
import type { RecordedEvent } from './event-store.port.js';
import type { Projection } from './subscriptions.js';
import type { EventFeed } from './event-feed.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { ReplayPacing } from './replay-pacing.js';
import type { RunnerSignals } from './runner-signals.js';
import { applyEvents, readsAny } from './apply-events.js';
import { parkedEvents } from './parked-events.js';
import { inTransaction } from '../database/sql.js';
import type { Logger } from '../logging/logger.js';

export interface PageSizes {
  /** Page size of a subscriber that is up to date. */
  batchSize: number;
  /** Page size while rebuilding or catching up (the previous page was full). */
  replayBatchSize: number;
}

/** Applies pages of the log to projections: a page's read-model writes, its checkpoint and any parked event commit together. */
export class ProjectionWorker {
  /** Projections whose last page was full: they read replay-sized pages until they catch up. */
  private readonly behind = new Set<string>();

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: EventFeed,
    private readonly checkpoints: CheckpointStore,
    private readonly pacing: ReplayPacing,
    private readonly signals: RunnerSignals,
    private readonly log: Logger,
    private readonly sizes: PageSizes,
    private readonly onBatch?: (name: string, events: number, last: RecordedEvent) => void,
  ) {}

  /** One page of `p`'s events: how many it went through (0: nothing to do). */
  async page(name: string, p: Projection): Promise<number> {
    // Looked at without a transaction first: an idle poll, or a page of only events the projection does
    // not read (most pages, for most projections), costs two statements instead of a transaction.
    const peek = await this.checkpoints.get(name);
    if (!peek) return 0;
    const peekLimit = this.limit(name, peek.status);
    const peeked = await this.feed.read(peek.checkpoint, peekLimit);
    if (peek.status === 'running' && !readsAny(p, peeked)) {
      this.sized(name, peeked.length, peekLimit);
      const last = peeked[peeked.length - 1];
      if (!last) return 0;
      // Compare-and-set: a rebuild or retry in between changed the row, and this page no longer applies.
      const moved = await this.checkpoints.advance(name, peek.checkpoint, last);
      if (moved) this.onBatch?.(name, peeked.length, last);
      this.signals.progressed();
      return moved ? peeked.length : 0;
    }
    let applied = 0;
    let last: RecordedEvent | undefined;
    let failed: { event: RecordedEvent; error: unknown }[] = [];
    let replaying = false;
    await inTransaction(this.orm, async (sql) => {
      // Writes and checkpoint are lost or kept together, so a crash only replays: no need to wait for the WAL flush.
      await sql.query('set local synchronous_commit to off');
      const row = await this.checkpoints.get(name, sql, true);
      if (!row) return;
      const limit = this.limit(name, row.status);
      // The page just read is still right if nothing moved the checkpoint meanwhile (a newer read may only add to it).
      const events = row.checkpoint === peek.checkpoint && limit === peekLimit ? peeked : await this.feed.read(row.checkpoint, limit);
      this.sized(name, events.length, limit);
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
      if (last) await this.checkpoints.save(name, last, sql);
      replaying = row.status === 'rebuilding' && events.length === limit;
      if (row.status === 'rebuilding' && !replaying) await this.checkpoints.markRunning(name, sql);
    });
    if (replaying) this.pacing.advance(name, applied);
    else this.pacing.end(name);
    for (const f of failed)
      this.log.error({ subscription: name, event: f.event.globalPosition, stream: f.event.streamId, err: f.error }, 'projection parked a failing event');
    if (last) this.onBatch?.(name, applied, last);
    this.signals.progressed();
    return applied;
  }

  private limit(name: string, status: string): number {
    return status === 'rebuilding' || this.behind.has(name) ? this.sizes.replayBatchSize : this.sizes.batchSize;
  }

  private sized(name: string, events: number, limit: number): void {
    if (events === limit) this.behind.add(name);
    else this.behind.delete(name);
  }
}
