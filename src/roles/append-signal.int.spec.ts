import { describe, it, expect, afterEach } from '@jest/globals';
import { createTestDatabase } from '../../test/support/database.js';
import { eventually } from '../../test/support/eventually.js';
import { createLogger } from '../../libs/logging/logger.js';
import { AppendSignal } from './append-signal.js';

describe('AppendSignal (LISTEN/NOTIFY between processes)', () => {
  const log = createLogger('silent');
  const open: AppendSignal[] = [];
  const signal = async (url: string, onSignal?: () => void) => {
    const s = new AppendSignal(url, log, onSignal);
    await s.start();
    open.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it("wakes the other processes' listeners, not its own; a burst of appends is coalesced into few signals", async () => {
    const url = await createTestDatabase('pf_signal');
    let heardByWorker = 0;
    let heardByAll = 0;
    const worker = await signal(url, () => heardByWorker++);
    const all = await signal(url, () => heardByAll++);
    const web = await signal(url);
    web.notify();
    await eventually(async () => expect([heardByWorker, heardByAll]).toEqual([1, 1]));
    all.notify();
    await eventually(async () => expect(heardByWorker).toBe(2));
    await new Promise((r) => setTimeout(r, 100));
    expect(heardByAll).toBe(1);
    void worker;

    for (let i = 0; i < 500; i++) web.notify();
    await eventually(async () => expect(heardByWorker).toBeGreaterThanOrEqual(3));
    await new Promise((r) => setTimeout(r, 200));
    // at most one in flight plus one queued behind it, so far fewer than 500
    expect(heardByWorker - 2).toBeLessThanOrEqual(3);
  });

  it('a listener whose connection is killed listens again within seconds', async () => {
    const url = await createTestDatabase('pf_signal');
    let heard = 0;
    await signal(url, () => heard++);
    const web = await signal(url);
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'listen%'`,
      );
      expect(rowCount).toBe(1);
      await eventually(
        async () => {
          web.notify();
          await new Promise((r) => setTimeout(r, 50));
          expect(heard).toBeGreaterThan(0);
        },
        { timeoutMs: 10_000 },
      );
    } finally {
      await admin.end();
    }
  });
});
