import { describe, it, expect, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SubscriptionRunner } from './subscription-runner.js';
import type { Reactor, SubscriptionStatus } from './subscriptions.js';
import { alwaysLeader } from './leader-lock.js';
import type { RecordedEvent } from './event-store.port.js';
import { createLogger } from '../logging/logger.js';
import { readSql } from '../database/sql.js';
import { parkedEvents } from './parked-events.js';
import { eventStoreDatabase } from '../../test/support/event-store-database.js';
import { sampleValue } from '../../test/support/prometheus-text.js';
import { registry } from '../metrics/metrics.js';

const log = createLogger('silent');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));
const n = (e: RecordedEvent) => e.data.n as number;
const keyOf = (e: RecordedEvent) => e.data.key as string | null;

/** A gate an event can wait at until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((ok) => (open = ok));
  return { open, opened };
}

async function setup() {
  const { orm, store } = await eventStoreDatabase(cleanups);
  const stream = `keyed-${randomUUID()}`;
  const positions = new Map<number, number>();
  return {
    store,
    orm,
    /** Appends Keyed n = from..to, n with key `key(n)` (null: no key), in one transaction; answers the head checkpoint. */
    async append(to: number, key: (n: number) => string | null, from = 1) {
      await store.append(
        stream,
        Array.from({ length: to - from + 1 }, (_, i) => ({ type: 'Keyed', data: { n: from + i, key: key(from + i) } })),
        'any',
      );
      for (const e of await store.readStream(stream)) positions.set(n(e), e.globalPosition);
      return (await store.head()).checkpoint;
    },
    position: (of: number) => positions.get(of)!,
    runner(reactor: Reactor) {
      const r = new SubscriptionRunner(store, orm, alwaysLeader, log, { pollMs: 20, batchSize: 100 });
      r.addReactor(reactor);
      cleanups.push(() => r.stop());
      return r;
    },
    async status(runner: SubscriptionRunner, name: string): Promise<SubscriptionStatus> {
      return (await runner.status({ names: [name] }))[0]!;
    },
  };
}

/** A keyed reactor that records what it sees; `work` runs inside `react` (delays, gates, failures). */
function recorder(name: string, work: (e: RecordedEvent) => Promise<void> = async () => undefined, concurrency = 4) {
  const seen: number[] = [];
  const running = new Set<string>();
  let active = 0;
  let widest = 0;
  let sameKeyOverlap = false;
  const reactor: Reactor = {
    name,
    concurrency,
    partitionKey: (e) => keyOf(e) ?? undefined,
    async react(e) {
      const key = keyOf(e);
      if (key !== null && running.has(key)) sameKeyOverlap = true;
      if (key !== null) running.add(key);
      active++;
      widest = Math.max(widest, active);
      try {
        await work(e);
        seen.push(n(e));
      } finally {
        active--;
        if (key !== null) running.delete(key);
      }
    },
  };
  return { reactor, seen, widest: () => widest, sameKeyOverlap: () => sameKeyOverlap };
}

const inKey = (seen: number[], key: (n: number) => string | null, k: string) => seen.filter((x) => key(x) === k);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('a reactor with partitionKey', () => {
  it('reacts to different keys concurrently, to one key in log order, at most `concurrency` at once', async () => {
    const t = await setup();
    const key = (x: number) => (x % 10 === 0 ? null : `k${x % 5}`);
    const head = await t.append(300, key);
    const r = recorder('keyed', () => sleep(1 + Math.random() * 4), 4);
    const runner = t.runner(r.reactor);
    await runner.start();
    expect(await runner.waitFor(head, 20_000, ['keyed'])).toBe(true);

    expect([...r.seen].sort((a, b) => a - b)).toEqual(range(1, 300));
    for (const k of ['k0', 'k1', 'k2', 'k3', 'k4']) expect(inKey(r.seen, key, k)).toEqual(range(1, 300).filter((x) => key(x) === k));
    expect(r.sameKeyOverlap()).toBe(false);
    expect(r.widest()).toBeGreaterThan(1);
    expect(r.widest()).toBeLessThanOrEqual(4);
    expect(await t.status(runner, 'keyed')).toMatchObject({ status: 'running', lag: 0, position: t.position(300) });
  });

  it('never moves the checkpoint past an event still being reacted to', async () => {
    const t = await setup();
    const key = (x: number) => `k${x % 3}`;
    await t.append(30, key);
    const slow = gate();
    const r = recorder('gated', async (e) => {
      if (n(e) === 8) await slow.opened;
    });
    const runner = t.runner(r.reactor);
    await runner.start();
    // the other keys finish their events of the page while 8 (and 11, 14, … after it in its key) wait
    const others = range(1, 30).filter((x) => key(x) !== key(8));
    while (!others.every((x) => r.seen.includes(x))) await sleep(10);
    await sleep(100);
    expect(r.seen.filter((x) => key(x) === key(8))).toEqual([2, 5]);
    expect((await t.status(runner, 'gated')).position).toBe(t.position(7));

    // events appended meanwhile are reacted to without waiting for 8, except those behind it in its key
    const later = await t.append(33, key, 31);
    while (!(r.seen.includes(31) && r.seen.includes(33))) await sleep(10);
    await sleep(100);
    expect(r.seen).not.toContain(32);
    expect((await t.status(runner, 'gated')).position).toBe(t.position(7));

    slow.open();
    expect(await runner.waitFor(later, 10_000, ['gated'])).toBe(true);
    expect(inKey(r.seen, key, key(8))).toEqual(range(1, 33).filter((x) => key(x) === key(8)));
    expect((await t.status(runner, 'gated')).position).toBe(t.position(33));
    expect(await t.status(runner, 'gated')).toMatchObject({ status: 'running', lag: 0 });
  });

  it('parks an event that keeps failing, holds the later events of its key behind it, goes on with the other keys; a retry resumes the key in order', async () => {
    const t = await setup();
    const key = (x: number) => `k${x % 4}`;
    const head = await t.append(40, key);
    let broken = true;
    let tries9 = 0;
    const r = recorder('failing', async (e) => {
      if (broken && n(e) === 14) throw new Error('cannot react to 14');
      if (broken && n(e) === 9) {
        tries9++;
        await sleep(5);
        throw new Error('cannot react to 9');
      }
    });
    const failures = async () => sampleValue(await registry.metrics(), 'partnerflow_reactor_failures_total', { reactor: 'failing' });
    const failedBefore = await failures();
    const runner = t.runner(r.reactor);
    await runner.start();
    expect(await runner.waitFor(head, 20_000, ['failing'])).toBe(true);
    // the two events that failed after their retries (held events behind them are not failures)
    expect((await failures()) - failedBefore).toBe(2);
    const s = await t.status(runner, 'failing');
    expect(s).toMatchObject({ status: 'failed', lag: 0, position: t.position(40), parked: 15 });
    expect(s.lastError).toMatch(/^event \d+ \(Keyed in keyed-[^)]+\): cannot react to (9|14)$/);
    // retried before it was parked
    expect(tries9).toBe(5);
    // keys k1 (9, 13, …) and k2 (14, 18, …) stop at their failing event; k0 and k3 are done
    expect(r.seen.filter((x) => key(x) === 'k1')).toEqual([1, 5]);
    expect(r.seen.filter((x) => key(x) === 'k2')).toEqual([2, 6, 10]);
    for (const k of ['k0', 'k3']) expect(inKey(r.seen, key, k)).toEqual(range(1, 40).filter((x) => key(x) === k));
    const parked = await parkedEvents.list(readSql(t.orm), { subscriber: 'failing', status: 'parked', limit: 10 });
    expect(parked.map((p) => [p.globalPosition, p.key]).sort()).toEqual(
      [
        [t.position(14), 'k2'],
        [t.position(9), 'k1'],
      ].sort(),
    );

    broken = false;
    const before = r.seen.length;
    const nine = parked.find((p) => p.key === 'k1')!;
    expect((await runner.settleParked(nine.id, 'retry')).event).toMatchObject({ status: 'resolved' });
    expect(r.seen.slice(before)).toEqual(range(9, 40).filter((x) => key(x) === 'k1'));
    expect((await t.status(runner, 'failing')).parked).toBe(7);
    // events of k1 appended now are reacted to at once; k2 still waits
    const later = await t.append(42, key, 41);
    expect(await runner.waitFor(later, 10_000, ['failing'])).toBe(true);
    expect(r.seen).toContain(41);
    expect(r.seen).not.toContain(42);
    expect((await t.status(runner, 'failing')).parked).toBe(8);
  });

  it('does not park an event when the database is away: the reactor stops before it and tries again', async () => {
    const t = await setup();
    const head = await t.append(5, () => 'k');
    let away = true;
    const r = recorder('blind', async (e) => {
      if (away && n(e) === 3) throw new Error('connection refused');
    });
    const runner = t.runner(r.reactor);
    // the runner's own check sees the database away while the failure lasts
    // `reachable` is the reactor worker's, private: replaced on this instance through Reflect.
    const worker: object = Reflect.get(runner, 'reactorWorker');
    const reachable: () => Promise<boolean> = Reflect.get(worker, 'reachable').bind(worker);
    Reflect.set(worker, 'reachable', async () => !away && reachable());
    await runner.start();
    while ((await t.status(runner, 'blind')).lastError === null) await sleep(20);
    expect(await t.status(runner, 'blind')).toMatchObject({
      status: 'failed',
      position: t.position(2),
      parked: 0,
      lastError: 'cannot process events: connection refused',
    });
    away = false;
    expect(await runner.waitFor(head, 10_000, ['blind'])).toBe(true);
    expect(await t.status(runner, 'blind')).toMatchObject({ status: 'running', lag: 0, parked: 0, lastError: null });
    expect(r.seen).toEqual(range(1, 5));
  });

  it('after a restart reacts again to every event the checkpoint had not passed, in key order', async () => {
    const t = await setup();
    const key = (x: number) => `k${x % 2}`;
    const head = await t.append(20, key);
    const stuck = gate();
    const first = recorder('restarted', async (e) => {
      if (n(e) === 6) await stuck.opened;
    });
    const runner = t.runner(first.reactor);
    await runner.start();
    // k1 (odd) is done to 19 while k0 waits at 6; stopping lets 6 finish and starts nothing more
    while (!first.seen.includes(19)) await sleep(10);
    expect((await t.status(runner, 'restarted')).position).toBe(t.position(5));
    const stopping = runner.stop();
    stuck.open();
    await stopping;
    expect(first.seen.filter((x) => x % 2 === 0)).toEqual([2, 4, 6]);
    const checkpointed = (await t.status(runner, 'restarted')).position;
    expect(checkpointed).toBe(t.position(7));

    const second = recorder('restarted');
    const again = t.runner(second.reactor);
    await again.start();
    expect(await again.waitFor(head, 10_000, ['restarted'])).toBe(true);
    const redone = range(1, 20).filter((x) => t.position(x) > checkpointed);
    expect([...second.seen].sort((a, b) => a - b)).toEqual(redone);
    for (const k of ['k0', 'k1']) expect(inKey(second.seen, key, k)).toEqual(redone.filter((x) => key(x) === k));
  });
});

describe('a reactor without partitionKey', () => {
  it('still sees each event once, in order, one at a time', async () => {
    const t = await setup();
    const head = await t.append(120, (x) => `k${x % 7}`);
    const r = recorder('plain', () => sleep(Math.random() * 2));
    const { partitionKey: _, ...plain } = r.reactor;
    const runner = t.runner({ ...plain, react: r.reactor.react });
    await runner.start();
    expect(await runner.waitFor(head, 10_000, ['plain'])).toBe(true);
    expect(r.seen).toEqual(range(1, 120));
    expect(r.widest()).toBe(1);
  });
});
