import { describe, it, expect, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SubscriptionRunner, type RunnerOptions } from './subscription-runner.js';
import { UnknownProjection, type Projection } from './subscriptions.js';
import { alwaysLeader } from './leader-lock.js';
import type { RecordedEvent } from './event-store.port.js';
import { openOrm } from '../database/orm.js';
import { readSql } from '../database/sql.js';
import { parkedEvents } from './parked-events.js';
import { createLogger } from '../logging/logger.js';
import { eventStoreDatabase } from '../../test/support/event-store-database.js';

const log = createLogger('silent');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A fresh database with the event store, and helpers over it. */
async function setup() {
  const { url, orm, store } = await eventStoreDatabase(cleanups);
  const sql = readSql(orm);
  const stream = `count-${randomUUID()}`;
  return {
    url,
    orm,
    store,
    stream,
    /** Appends Counted n = 1..count to one stream, 500 per transaction. */
    async append(count: number) {
      for (let from = 1; from <= count; from += 500) {
        const events = Array.from({ length: Math.min(500, count - from + 1) }, (_, i) => ({ type: 'Counted', data: { n: from + i } }));
        await store.append(stream, events, 'any');
      }
      return (await store.head()).checkpoint;
    },
    async table(name: string) {
      await sql.query(`create table ${name} (n integer primary key, at timestamptz not null)`);
    },
    async ns(table: string): Promise<number[]> {
      return (await sql.query<{ n: number }>(`select n from ${table} order by n`)).map((r) => r.n);
    },
    runner(projections: Projection[], opts: RunnerOptions = {}) {
      const r = new SubscriptionRunner(store, orm, alwaysLeader, log, { pollMs: 20, ...opts });
      for (const p of projections) r.addProjection(p);
      cleanups.push(() => r.stop());
      return r;
    },
  };
}

/** Inserts one row per Counted event: applying an event twice fails on the primary key, so duplicates show. */
function counting(
  name: string,
  opts: {
    batch?: boolean;
    poison?: (n: number) => boolean;
    before?: (e: RecordedEvent, sql: { query: (t: string) => Promise<unknown> }) => Promise<void>;
  } = {},
): Projection {
  const check = (e: RecordedEvent) => {
    if (opts.poison?.(e.data.n as number)) throw new Error(`cannot count ${e.data.n}`);
  };
  return {
    name,
    tables: [name],
    types: ['Counted'],
    async apply(e, sql) {
      if (e.type !== 'Counted') return;
      check(e);
      await opts.before?.(e, sql);
      await sql.query(`insert into ${name} (n, at) values ($1, $2)`, [e.data.n, e.occurredAt]);
    },
    ...(opts.batch && {
      batchTypes: ['Counted'],
      async applyBatch(events, sql) {
        events.forEach(check);
        await sql.query(`insert into ${name} (n, at) select * from unnest($1::int[], $2::timestamptz[])`, [
          events.map((e) => e.data.n),
          events.map((e) => e.occurredAt),
        ]);
      },
    }),
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Counted n = from..to, n in stream `<stream>-<keyOf(n)>`, in one transaction; answers the head. */
async function appendKeyed(t: Awaited<ReturnType<typeof setup>>, to: number, keyOf: (n: number) => string, from = 1) {
  const ns = range(from, to);
  await t.store.appendMany(
    [...new Set(ns.map(keyOf))].map((k) => ({
      streamId: `${t.stream}-${k}`,
      events: ns.filter((n) => keyOf(n) === k).map((n) => ({ type: 'Counted', data: { n } })),
      expectedVersion: 'any' as const,
    })),
  );
  return (await t.store.head()).checkpoint;
}

describe.each([
  ['one event at a time', false],
  ['set-based batches', true],
])('a poison event (%s)', (_, batch) => {
  it('is parked with its error; later events of its stream wait behind it, other streams and projections go on; a retry after the fix applies it and then the waiting ones', async () => {
    const t = await setup();
    await t.table('poisoned');
    await t.table('healthy');
    let broken = true;
    const runner = t.runner([counting('poisoned', { batch, poison: (n) => broken && n === 13 }), counting('healthy', { batch })], {
      batchSize: 5,
      replayBatchSize: 5,
    });
    // odd numbers in stream a, even in stream b: 13 is in a, so 15, 17, 19 wait behind it
    const head = await appendKeyed(t, 20, (n) => (n % 2 ? 'a' : 'b'));
    await runner.start();
    expect(await runner.waitFor(head)).toBe(true);

    const [poisoned, healthy] = await runner
      .status({ names: ['poisoned', 'healthy'] })
      .then((s) => ['poisoned', 'healthy'].map((n) => s.find((x) => x.name === n)!));
    expect(poisoned).toMatchObject({ status: 'failed', lag: 0, parked: 4 });
    const thirteen = (await t.store.readStream(`${t.stream}-a`))[6]!;
    expect(poisoned!.lastError).toBe(`event ${thirteen.globalPosition} (Counted in ${t.stream}-a): cannot count 13`);
    expect(await t.ns('poisoned')).toEqual(range(1, 20).filter((n) => n < 13 || n % 2 === 0));
    expect(healthy).toMatchObject({ status: 'running', lag: 0, lastError: null, parked: 0 });
    expect(await t.ns('healthy')).toEqual(range(1, 20));

    const parked = await parkedEvents.list(readSql(t.orm), { subscriber: 'poisoned', limit: 10 });
    expect(parked.map((p) => [p.globalPosition, p.status, p.key, p.attempts]).reverse()).toEqual([
      [thirteen.globalPosition, 'parked', `${t.stream}-a`, 1],
      ...[15, 17, 19].map((n) => [thirteen.globalPosition + (n - 13) / 2, 'waiting', `${t.stream}-a`, 1]),
    ]);
    const head13 = parked[parked.length - 1]!;
    expect(await runner.settleParked(parked[0]!.id, 'retry')).toMatchObject({ refused: 'waiting' });

    // a retry that fails again counts an attempt and keeps it parked
    expect((await runner.settleParked(head13.id, 'retry')).event).toMatchObject({ status: 'parked', attempts: 2, error: 'cannot count 13' });

    // later events of stream a keep waiting; those of b apply
    const later = await appendKeyed(t, 22, (n) => (n % 2 ? 'a' : 'b'), 21);
    expect(await runner.waitFor(later)).toBe(true);
    expect((await t.ns('poisoned')).filter((n) => n > 20)).toEqual([22]);
    broken = false;
    expect((await runner.settleParked(head13.id, 'retry')).event).toMatchObject({ status: 'resolved', attempts: 2 });
    expect(await runner.waitFor((await t.store.head()).checkpoint)).toBe(true);
    const [after] = await runner.status({ names: ['poisoned'] });
    expect(after).toMatchObject({ status: 'running', lag: 0, lastError: null, parked: 0 });
    expect(await t.ns('poisoned')).toEqual(range(1, 22));
    // applied in stream order: 13 before the ones that waited behind it (the row's insertion order shows it)
    const order = await readSql(t.orm).query<{ n: number }>('select n from poisoned where n % 2 = 1 and n >= 13 order by ctid');
    expect(order.map((r) => r.n)).toEqual([13, 15, 17, 19, 21]);
  });
});

describe('parked events', () => {
  it('a skip releases the events waiting behind the skipped one, in order; the skipped one stays unapplied', async () => {
    const t = await setup();
    await t.table('counted');
    const runner = t.runner([counting('counted', { poison: (n) => n === 3 })], { batchSize: 4 });
    const head = await appendKeyed(t, 8, () => 'one');
    await runner.start();
    expect(await runner.waitFor(head)).toBe(true);
    expect(await t.ns('counted')).toEqual([1, 2]);
    const [first] = await parkedEvents.list(readSql(t.orm), { subscriber: 'counted', status: 'parked', limit: 10 });
    expect((await runner.settleParked(first!.id, 'skip')).event).toMatchObject({ status: 'skipped' });
    expect(await t.ns('counted')).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect((await runner.status())[0]).toMatchObject({ status: 'running', parked: 0 });
    expect(await runner.settleParked(first!.id, 'retry')).toMatchObject({ refused: 'settled' });
  });

  it('a rebuild parks the same event again instead of stopping there', async () => {
    const t = await setup();
    await t.table('counted');
    await t.append(50);
    const runner = t.runner([counting('counted', { batch: true, poison: (n) => n === 30 })]);
    await runner.rebuild(['counted']);
    await runner.start();
    const [s] = await runner.whenRebuilt(['counted'], 30_000);
    expect(s).toMatchObject({ status: 'failed', lag: 0, parked: 21 });
    expect(s!.lastError).toContain('cannot count 30');
    expect(await t.ns('counted')).toEqual(range(1, 29));
    await runner.rebuild(['counted']);
    const [again] = await runner.whenRebuilt(['counted'], 30_000);
    expect(again).toMatchObject({ status: 'failed', lag: 0, parked: 21 });
    expect(await parkedEvents.list(readSql(t.orm), { subscriber: 'counted', status: 'parked', limit: 10 })).toHaveLength(1);
  });

  it('a subscriber stopped at a failing event by an earlier version resumes and parks it', async () => {
    const t = await setup();
    await t.table('counted');
    const head = await t.append(10);
    const [fifth] = (await t.store.readStream(t.stream)).slice(4);
    await readSql(t.orm).query(
      `insert into es_checkpoints (name, checkpoint, global_position, status, last_error) values ('counted', $1, $2, 'failed', 'old failure')`,
      [fifth!.checkpoint, fifth!.globalPosition],
    );
    const runner = t.runner([counting('counted', { poison: (n) => n === 6 })]);
    await runner.start();
    expect(await runner.waitFor(head)).toBe(true);
    expect(await t.ns('counted')).toEqual([]);
    expect((await runner.status())[0]).toMatchObject({ status: 'failed', lag: 0, parked: 5, lastError: expect.stringContaining('cannot count 6') });
  });
});

describe('stop and restart', () => {
  it('a runner stopped mid-stream is resumed by a new one from its checkpoint: nothing lost, nothing applied twice', async () => {
    const t = await setup();
    await t.table('counted');
    const head = await t.append(3000);
    let batches = 0;
    let stopped: Promise<void> | undefined;
    const first = t.runner([counting('counted', { batch: true })], {
      batchSize: 100,
      replayBatchSize: 100,
      onBatch: () => {
        if (++batches === 5) stopped = first.stop();
      },
    });
    await first.start();
    while (!stopped) await new Promise((ok) => setTimeout(ok, 5));
    await stopped;
    const [mid] = await first.status({ names: ['counted'] });
    const applied = await t.ns('counted');
    expect(applied.length).toBeGreaterThanOrEqual(500);
    expect(applied.length).toBeLessThan(3000);
    expect(applied).toEqual(range(1, applied.length));
    expect(mid!.lag).toBe(3000 - applied.length);

    const second = t.runner([counting('counted', { batch: true })], { batchSize: 100 });
    await second.start();
    expect(await second.waitFor(head)).toBe(true);
    const [done] = await second.status({ names: ['counted'] });
    expect(done).toMatchObject({ status: 'running', lag: 0 });
    expect(await t.ns('counted')).toEqual(range(1, 3000));
  });

  it('a process killed mid-batch (its connection dies) commits nothing of that batch; the next runner redoes it once', async () => {
    const t = await setup();
    await t.table('counted');
    const head = await t.append(1000);
    let reached: (pid: number) => void;
    const atEvent250 = new Promise<number>((ok) => (reached = ok));
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const dying = counting('counted', {
      before: async (e, sql) => {
        if (e.data.n !== 250) return;
        const [row] = (await sql.query('select pg_backend_pid() as pid')) as { pid: number }[];
        reached(row!.pid);
        await gate;
      },
    });
    // its own pool, as a process of its own would have: a pool that saw its connection die cannot close cleanly
    const doomedOrm = await openOrm(t.url, []);
    cleanups.push(() => Promise.race([doomedOrm.close(), new Promise<void>((ok) => setTimeout(ok, 200))]));
    const first = new SubscriptionRunner(t.store, doomedOrm, alwaysLeader, log, { batchSize: 100, replayBatchSize: 100, pollMs: 60_000 });
    first.addProjection(dying);
    await first.start();
    const pid = await atEvent250;
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    release();
    await new Promise((ok) => setTimeout(ok, 100));
    await first.stop();
    expect(await t.ns('counted')).toEqual(range(1, 200));
    const [dead] = await first.status({ names: ['counted'] });
    // the page failed as a whole (shown until it goes through), and nothing was parked for it
    expect(dead).toMatchObject({ status: 'failed', lag: 800, parked: 0, lastError: expect.stringMatching(/^cannot process events: /) });

    const second = t.runner([counting('counted')], { batchSize: 100 });
    await second.start();
    expect(await second.waitFor(head)).toBe(true);
    expect(await t.ns('counted')).toEqual(range(1, 1000));
  });
});

describe('rebuild and checksum', () => {
  it('truncates and replays to the same checksum; the checksum follows the tables, not a stale cache', async () => {
    const t = await setup();
    await t.table('counted');
    const head = await t.append(1200);
    const runner = t.runner([counting('counted', { batch: true })], { batchSize: 100, replayBatchSize: 500 });
    await runner.start();
    await runner.waitFor(head);
    const [live] = await runner.status();
    expect(live!.checksum).toMatch(/^[0-9a-f]{32}$/);

    await runner.stop();
    await runner.rebuild(['counted']);
    const [reset] = await runner.status();
    expect(reset).toMatchObject({ status: 'rebuilding', position: 0, lag: 1200 });
    expect(reset!.checksum).not.toBe(live!.checksum);
    expect(await t.ns('counted')).toEqual([]);

    await runner.start();
    const [rebuilt] = await runner.whenRebuilt(['counted'], 30_000);
    expect(rebuilt).toMatchObject({ status: 'running', lag: 0 });
    expect(await runner.checksum(counting('counted'))).toBe(live!.checksum);
    expect(await t.ns('counted')).toEqual(range(1, 1200));
  });

  it('rejects unknown names and reactors before resetting anything', async () => {
    const t = await setup();
    await t.table('counted');
    const head = await t.append(10);
    const runner = t.runner([counting('counted')]);
    runner.addReactor({ name: 'mailer', react: async () => undefined });
    await runner.start();
    await runner.waitFor(head);
    await expect(runner.rebuild(['counted', 'nope'])).rejects.toEqual(new UnknownProjection(['nope']));
    await expect(runner.rebuild(['mailer'])).rejects.toBeInstanceOf(UnknownProjection);
    expect(await t.ns('counted')).toHaveLength(10);
    const statuses = await runner.status();
    expect(statuses.map((s) => [s.name, s.kind, s.status, s.checksum === null])).toEqual([
      ['counted', 'projection', 'running', false],
      ['mailer', 'reactor', 'running', true],
    ]);
  });

  it('the checksum ignores row order and sees any change, from any session', async () => {
    const t = await setup();
    await t.table('counted');
    const sql = readSql(t.orm);
    const p = counting('counted');
    const insert = (ns: number[]) =>
      sql.query(`insert into counted (n, at) select n, timestamptz '2024-05-01 10:00:00+02' + n * interval '1 hour' from unnest($1::int[]) n`, [ns]);
    await insert(range(1, 100));
    const ascending = await t.runner([p]).checksum(p);
    await sql.query('truncate counted');
    await insert(range(1, 100).reverse());
    // sessions of another time zone print timestamps differently; the checksum must not care
    await sql.query(`alter database ${new URL(t.url).pathname.slice(1)} set timezone to 'Asia/Tokyo'`);
    const tokyo = await openOrm(t.url, []);
    cleanups.push(() => tokyo.close());
    const [{ tz }] = await readSql(tokyo).query<{ tz: string }>(`select current_setting('timezone') as tz`);
    expect(tz).toBe('Asia/Tokyo');
    const elsewhere = new SubscriptionRunner(t.store, tokyo, alwaysLeader, log);
    expect(await elsewhere.checksum(p)).toBe(ascending);
    await sql.query(`update counted set at = at + interval '1 microsecond' where n = 50`);
    expect(await t.runner([p]).checksum(p)).not.toBe(ascending);
  });
});

describe.each([
  ['rebuilt before start', true],
  ['rebuilt while running', false],
])('replay pacing (%s)', (_, rebuildFirst) => {
  it('keeps fast projections within a few pages of the slowest, so the log is read about once', async () => {
    const t = await setup();
    await t.table('fast');
    await t.table('slow');
    const head = await t.append(600);
    const slow = counting('slow', { batch: true });
    const slowBatch = slow.applyBatch!.bind(slow);
    slow.applyBatch = async (events, sql) => {
      await new Promise((ok) => setTimeout(ok, 30));
      await slowBatch(events, sql);
    };
    let reads = 0;
    const readAll = t.store.readAll.bind(t.store);
    t.store.readAll = (cp, limit) => (reads++, readAll(cp, limit));
    const reached = { fast: 0, slow: 0 };
    let widest = 0;
    const runner = t.runner([counting('fast', { batch: true }), slow], {
      replayBatchSize: 10,
      onBatch: (name, _, last) => {
        reached[name as 'fast' | 'slow'] = last.globalPosition;
        widest = Math.max(widest, reached.fast - reached.slow);
      },
    });
    if (rebuildFirst) await runner.rebuild();
    await runner.start();
    if (!rebuildFirst) {
      expect(await runner.waitFor(head)).toBe(true);
      reads = 0;
      widest = 0;
      reached.fast = reached.slow = 0;
      await runner.rebuild();
    }
    await runner.whenRebuilt(undefined, 30_000);
    expect(await runner.waitFor(head)).toBe(true);
    expect(await t.ns('fast')).toEqual(range(1, 600));
    expect(await t.ns('slow')).toEqual(range(1, 600));
    expect(widest).toBeGreaterThan(0);
    expect(widest).toBeLessThanOrEqual(90);
    expect(reads).toBeLessThan(80);
  });
});

describe('reactors', () => {
  it('see each event once, in order', async () => {
    const t = await setup();
    const head = await t.append(700);
    const seen: number[] = [];
    const runner = t.runner([], { batchSize: 100 });
    runner.addReactor({ name: 'echo', react: async (e) => void seen.push(e.data.n as number) });
    await runner.start();
    expect(await runner.waitFor(head, 10_000, ['echo'])).toBe(true);
    expect(seen).toEqual(range(1, 700));
  });
});
