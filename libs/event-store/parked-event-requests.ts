import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from './event-store.port.js';
import type { Subscriber } from './subscriber.js';
import type { RunnerSignals } from './runner-signals.js';
import type { LeaderLock } from './leader-lock.js';
import { applyEvents } from './apply-events.js';
import { parkedEvents, type ParkedEvent } from './parked-events.js';
import { reactWithRetry } from './reactor-worker.js';
import { inTransaction, readSql } from '../database/sql.js';
import type { Logger } from '../logging/logger.js';

/**
 * The operator's retries and skips of parked events (parked-events.ts): asked for anywhere (`settle`), carried out by
 * the leader in the subscriber's own loop (`carryOut`), so they never run beside its pages.
 */
export class ParkedEventRequests {
  /** When each subscriber last looked for requests. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly orm: MikroORM,
    private readonly store: EventStore,
    private readonly leader: LeaderLock,
    private readonly signals: RunnerSignals,
    private readonly log: Logger,
    /** Wakes the loops, the leader's too when it is another process. */
    private readonly nudge: () => void,
  ) {}

  /**
   * Asks for a retry or skip of a parked event and waits (up to `timeoutMs`) until the leader's loop has
   * carried it out: answers the event as it then is (still `*_requested` when no leader got to it in time).
   */
  async settle(id: string, action: 'retry' | 'skip', timeoutMs = 10_000): Promise<{ event?: ParkedEvent; refused?: 'waiting' | 'settled' }> {
    const sql = readSql(this.orm);
    const asked = await parkedEvents.request(sql, id, action);
    if (!asked.event || asked.refused) return asked;
    this.seen.clear();
    this.nudge();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = (await parkedEvents.get(sql, id))!;
      // done when the event and the events that waited behind it are processed
      const next = event.key === null ? undefined : await parkedEvents.firstOpen(sql, event.subscriber, event.key);
      if ((!event.status.endsWith('_requested') && next?.status !== 'waiting') || Date.now() > deadline) return { event };
      await this.signals.nextProgress(this.leader.held ? 20 : 100);
    }
  }

  /** Carries out `name`'s requests, in order: the event, then the events that waited behind it. */
  async carryOut(name: string, s: Subscriber): Promise<void> {
    // Looked for once a second, or at once after a request in this process (`settle`).
    if (Date.now() - (this.seen.get(name) ?? 0) < 1_000) return;
    this.seen.set(name, Date.now());
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
      this.signals.progressed();
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
      error = await reactWithRetry(s.r, event);
      if (error === undefined) await parkedEvents.settle(sql, parked.id, 'resolved');
    }
    if (error === undefined) return true;
    await parkedEvents.failedAgain(sql, parked.id, error);
    this.log.error({ subscription: name, event: parked.globalPosition, err: error }, 'parked event failed again');
    return false;
  }
}
