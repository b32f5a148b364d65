import { describe, it, expect, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SubscriptionRunner } from './subscription-runner.js';
import type { Reactor, SubscriptionStatus } from './subscriptions.js';
import { alwaysLeader } from './leader-lock.js';
import type { RecordedEvent } from './event-store.port.js';
import { createLogger } from '../logging/logger.js';
import { eventStoreDatabase } from '../../test/support/event-store-database.js';

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
    /** Appends Keyed n = from..to, n with key `key(n)` (null: no key), in one transaction; answers the head checkpoint. */
    async append(to: number, key: (n: number) => string | null, from = 1) {
      await store.append(stream, Array.from({ length: to - from + 1 }, (_, i) => ({ type: 'Keyed', data: { n: from + i, key: key(from + i) } })), 'any');
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

  it('stops at the earliest failing event, starts nothing after it in its key, and resumes from there after a retry', async () => {
    const t = await setup();
    const key = (x: number) => `k${x % 4}`;
    const head = await t.append(40, key);
    let broken = true;
    const r = recorder('failing', async (e) => {
      // 14 fails first, 9 (earlier in the log, another key) fails later: the reactor must stop at 9
      if (broken && n(e) === 14) throw new Error('cannot react to 14');
      if (broken && n(e) === 9) {
        await sleep(30);
        throw new Error('cannot react to 9');
      }
    });
    const runner = t.runner(r.reactor);
    await runner.start();
    const failed = async () => {
      for (;;) {
        const s = await t.status(runner, 'failing');
        if (s.status === 'failed') return s;
        await sleep(20);
      }
    };
    const s = await failed();
    expect(s.position).toBe(t.position(8));
    expect(s.lastError).toMatch(new RegExp(`^event ${t.position(9)} \\(Keyed in keyed-[^)]+\\): cannot react to 9$`));
    // everything before 9 is done; nothing after a failed event in its key ever started
    for (const x of range(1, 8)) expect(r.seen).toContain(x);
    expect(r.seen.filter((x) => key(x) === key(9) && x > 9)).toEqual([]);
    expect(r.seen.filter((x) => key(x) === key(14) && x >= 14)).toEqual([]);
    await sleep(100);
    expect((await t.status(runner, 'failing')).status).toBe('failed');

    broken = false;
    const before = r.seen.length;
    await runner.retry('failing');
    expect(await runner.waitFor(head, 10_000, ['failing'])).toBe(true);
    expect(await t.status(runner, 'failing')).toMatchObject({ status: 'running', lag: 0, lastError: null });
    // from 9 on, every event again (at least once), each key in order
    const again = r.seen.slice(before);
    expect([...new Set(again)].sort((a, b) => a - b)).toEqual(range(9, 40));
    for (const k of ['k0', 'k1', 'k2', 'k3']) expect(inKey(again, key, k)).toEqual(range(9, 40).filter((x) => key(x) === k));
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
