import { describe, it, expect, afterEach, jest } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import type { PostgresEventStore } from '../../../../libs/event-store/postgres/postgres-event-store.js';
import { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { alwaysLeader } from '../../../../libs/event-store/leader-lock.js';
import { createLogger } from '../../../../libs/logging/logger.js';
import { eventStoreDatabase } from '../../../../test/support/event-store-database.js';
import { clickStream } from '../../domain/click.js';
import { ClickRecorder } from './click-recorder.js';
import type { ClickLimiter } from './click-limiter.js';
import type { TrackingDirectory } from './tracking-directory.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const link = { companyId: 'co_1', partnerId: 'pa_1' };
const visitorKey = 'b'.repeat(32);
const visitor = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' };
const input = { referralKey: 'ref_1', source: 'link' as const, url: null, referrer: null };

/** A recorder as one process has it (its own cache of visitor streams) on a shared store, at a clock the test moves. */
function recorder({ store, orm }: { store: PostgresEventStore; orm: MikroORM }, clock: { now(): Date }) {
  const es = new EventSourcing(store, new SubscriptionRunner(store, orm, alwaysLeader, createLogger('silent')), clock);
  return new ClickRecorder(es, {} as TrackingDirectory, {} as ClickLimiter, clock);
}

describe('ClickRecorder', () => {
  it('a first click is one append and no read; a repeat within 24 h touches no store', async () => {
    const db = await eventStoreDatabase(cleanups);
    const { store } = db;
    const reads = jest.spyOn(store, 'readStream');
    const appends = jest.spyOn(store, 'append');
    const r = recorder(db, { now: () => new Date('2026-03-01T10:00:00Z') });
    expect(await r.count(link, visitorKey, visitor, input)).toEqual({ clickId: `clk_${visitorKey}_1`, counted: true });
    expect(await r.count(link, visitorKey, visitor, input)).toEqual({ clickId: `clk_${visitorKey}_1`, counted: false });
    expect({ reads: reads.mock.calls.length, appends: appends.mock.calls.length }).toEqual({ reads: 0, appends: 1 });
  });

  it('a stream another process wrote is read once and decided on: counted once across processes', async () => {
    const db = await eventStoreDatabase(cleanups);
    const { store } = db;
    let now = new Date('2026-03-01T10:00:00Z');
    const clock = { now: () => now };
    const [a, b] = [recorder(db, clock), recorder(db, clock)];
    expect(await a.count(link, visitorKey, visitor, input)).toMatchObject({ counted: true, clickId: `clk_${visitorKey}_1` });
    now = new Date('2026-03-01T11:00:00Z');
    const reads = jest.spyOn(store, 'readStream');
    expect(await b.count(link, visitorKey, visitor, input)).toEqual({ clickId: `clk_${visitorKey}_1`, counted: false });
    expect(await b.count(link, visitorKey, visitor, input)).toEqual({ clickId: `clk_${visitorKey}_1`, counted: false });
    expect(reads.mock.calls.length).toBe(1);
    // a day later b counts click 2; a, whose cache still says 1, decides again on the stream and answers b's click
    now = new Date('2026-03-02T10:30:00Z');
    expect(await b.count(link, visitorKey, visitor, input)).toEqual({ clickId: `clk_${visitorKey}_2`, counted: true });
    expect(await a.count(link, visitorKey, visitor, input)).toEqual({ clickId: `clk_${visitorKey}_2`, counted: false });
    expect((await store.readStream(clickStream(link.companyId, visitorKey))).map((e) => e.data.clickId)).toEqual([
      `clk_${visitorKey}_1`,
      `clk_${visitorKey}_2`,
    ]);
  });
});
