import { describe, it, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MaxAppendSizeExceededError, jsonEvent } from '@eventstore/db-client';
import { AppendSizeExceeded, LAG_COUNT_LIMIT, START, type NewEvent, type RecordedEvent } from '../../event-store.port.js';
import { EsdbEventStore } from '../../esdb/esdb-event-store.js';
import { EsdbSemanticsEventStore } from './esdb-semantics-event-store.js';
import { EsdbSemanticsServer, SimulatedFault } from './esdb-semantics-server.js';

/** What EventStoreDB's guarantees (and their absence) mean for the adapter, proven on the in-process server. */
describe('EventStoreDB adapter under EventStoreDB semantics', () => {
  const stream = () => `test-${randomUUID()}`;
  const ev = (n: number, id: string = randomUUID()): NewEvent => ({ type: 'Counted', data: { n }, id });
  const turn = () => new Promise((ok) => setImmediate(ok));
  const ns = (events: RecordedEvent[]) => events.map((e) => e.data.n);

  it('appendMany is not atomic: a failure between streams leaves the first written; the retry with the same ids completes it once', async () => {
    const store = EsdbSemanticsEventStore.create();
    const [guard, a, b] = [stream(), stream(), stream()];
    const appends = [
      { streamId: guard, events: [ev(1)], expectedVersion: 'no_stream' as const },
      { streamId: a, events: [ev(1), ev(2)], expectedVersion: 'no_stream' as const },
      { streamId: b, events: [ev(1)], expectedVersion: 'any' as const },
    ];
    store.server.failAppend(a, 'before');
    await expect(store.appendMany(appends)).rejects.toBeInstanceOf(SimulatedFault);
    expect(ns(await store.readStream(guard))).toEqual([1]);
    expect(await store.readStream(a)).toEqual([]);
    expect(await store.readStream(b)).toEqual([]);
    expect((await store.appendMany(appends)).map((r) => r.nextVersion)).toEqual([1, 2, 1]);
    for (const [s, expected] of [
      [guard, [1]],
      [a, [1, 2]],
      [b, [1]],
    ] as const)
      expect(ns(await store.readStream(s))).toEqual(expected);
  });

  it('an append written but not acknowledged (a lost answer) is completed by the retry without a duplicate', async () => {
    const store = EsdbSemanticsEventStore.create();
    const [guard, a] = [stream(), stream()];
    const appends = [
      { streamId: guard, events: [ev(1)], expectedVersion: 'no_stream' as const },
      { streamId: a, events: [ev(1)], expectedVersion: 'any' as const },
    ];
    store.server.failAppend(a, 'after');
    await expect(store.appendMany(appends)).rejects.toMatchObject({ point: 'after' });
    expect(ns(await store.readStream(a))).toEqual([1]);
    expect((await store.appendMany(appends)).map((r) => r.nextVersion)).toEqual([1, 1]);
    expect(ns(await store.readStream(a))).toEqual([1]);
  });

  it('idempotence of `any` appends is best effort: once the id left the recent-ids cache the retry writes again; an exact version does not', async () => {
    const store = EsdbSemanticsEventStore.create({ recentIds: 5, systemEvents: false });
    const s = stream();
    const first = ev(1);
    await store.append(s, [first], 'any');
    for (let i = 0; i < 5; i++) await store.append(stream(), [ev(i)], 'no_stream');
    await store.append(s, [first], 'any');
    expect(ns(await store.readStream(s))).toEqual([1, 1]);
    const exact = stream();
    const once = ev(7);
    await store.append(exact, [once], 'no_stream');
    for (let i = 0; i < 5; i++) await store.append(stream(), [ev(i)], 'no_stream');
    expect((await store.append(exact, [once], 'no_stream')).nextVersion).toBe(1);
    expect(ns(await store.readStream(exact))).toEqual([7]);
  });

  it('passes deterministic event ids through to the server', async () => {
    const store = EsdbSemanticsEventStore.create();
    const id = randomUUID();
    const s = stream();
    await store.append(s, [ev(1, id)], 'no_stream');
    expect(store.server.records.filter((r) => r.streamId === s).map((r) => r.id)).toEqual([id]);
  });

  it("readAll skips runs of the server's events longer than a page: never an empty page while events follow", async () => {
    const store = EsdbSemanticsEventStore.create({ systemEvents: false });
    const s = stream();
    await store.append(s, [ev(1)], 'no_stream');
    const [first] = await store.readAll(START, 10);
    store.server.writeSystemEvents(1_500);
    await store.append(s, [ev(2)], 1);
    store.server.writeSystemEvents(700);
    await store.append(s, [ev(3)], 2);
    expect(ns(await store.readAll(first!.checkpoint, 1))).toEqual([2]);
    expect(ns(await store.readAll(first!.checkpoint, 10))).toEqual([2, 3]);
    expect(ns(await store.readAll(START, 500))).toEqual([1, 2, 3]);
    expect(await store.countAfter(first!.checkpoint)).toBe(2);
  });

  it('readAll over the links the system projections write after each append returns only application events', async () => {
    const store = EsdbSemanticsEventStore.create();
    const s = stream();
    for (let i = 1; i <= 20; i++) await store.append(s, [ev(i)], i === 1 ? 'no_stream' : i - 1);
    await turn();
    expect(store.server.records.filter((r) => r.type === '$>').length).toBeGreaterThanOrEqual(40);
    const seen: RecordedEvent[] = [];
    for (let page = await store.readAll(START, 3); page.length; page = await store.readAll(page[page.length - 1]!.checkpoint, 3)) seen.push(...page);
    expect(ns(seen)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("head() is the newest application event however many of the server's events trail it", async () => {
    const store = EsdbSemanticsEventStore.create();
    const s = stream();
    await store.append(s, [ev(1)], 'no_stream');
    await turn();
    store.server.writeSystemEvents(300);
    const head = await store.head();
    const [last] = await store.readStream(s);
    expect(head.checkpoint).toBe(last!.checkpoint);
    expect(await store.readAll(head.checkpoint, 10)).toEqual([]);
    expect(await store.countAfter(head.checkpoint)).toBe(0);
  });

  it("positions are byte offsets of the log: they grow by each record's size, not by one; checkpoints are tagged", async () => {
    const store = EsdbSemanticsEventStore.create({ systemEvents: false });
    const s = stream();
    await store.append(s, [ev(1), { type: 'Counted', data: { n: 2, pad: 'x'.repeat(1000) } }, ev(3)], 'no_stream');
    const [a, b, c] = await store.readStream(s);
    expect(b!.globalPosition - a!.globalPosition).toBeGreaterThan(100);
    expect(c!.globalPosition - b!.globalPosition).toBeGreaterThan(1000);
    expect(a!.checkpoint).toMatch(/^esdb:\d+\/\d+$/);
    expect(store.ownsCheckpoint(a!.checkpoint)).toBe(true);
    expect(store.ownsCheckpoint('123/456')).toBe(false);
    await expect(store.readAll('123/456', 10)).rejects.toThrow('Not an EventStoreDB checkpoint');
  });

  it('reads left early are cancelled: head, readAll, countAfter and ping leave no read open on the server', async () => {
    const store = EsdbSemanticsEventStore.create();
    const s = stream();
    for (let i = 1; i <= 30; i++) await store.append(s, [ev(i)], i === 1 ? 'no_stream' : i - 1);
    await turn();
    await store.head();
    await store.readAll(START, 5);
    await store.countAfter(START);
    await store.ping();
    await store.readStream(s);
    expect(store.server.openReads).toBe(0);
  });

  it('countAfter counts back from the end and stops at LAG_COUNT_LIMIT', async () => {
    const store = EsdbSemanticsEventStore.create({ systemEvents: false });
    const s = stream();
    const before = (await store.head()).checkpoint;
    for (let from = 0; from < LAG_COUNT_LIMIT + 50; from += 500)
      await store.append(
        s,
        Array.from({ length: 500 }, (_, i) => ev(from + i)),
        'any',
      );
    expect(await store.countAfter(before)).toBe(LAG_COUNT_LIMIT);
    const [last] = await store.readStream(s, LAG_COUNT_LIMIT - 99);
    expect(await store.countAfter(last!.checkpoint)).toBe(LAG_COUNT_LIMIT + 500 - (LAG_COUNT_LIMIT - 99));
  });

  it('the server refuses an append over MaxAppendSize, measured as it measures (data + metadata + 2 bytes per type character)', async () => {
    const server = new EsdbSemanticsServer({ maxAppendSize: 100, systemEvents: false });
    const client = server.connect();
    const event = (size: number) => jsonEvent({ type: 'T', data: { p: 'x'.repeat(size - 2 - 8) } }); // {"p":"…"} + 2 bytes of type
    await client.appendToStream('s-1', [event(100)], { expectedRevision: 'no_stream' });
    await expect(client.appendToStream('s-2', [event(101)], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(MaxAppendSizeExceededError);
    await expect(client.appendToStream('s-2', [event(50), event(51)], { expectedRevision: 'no_stream' })).rejects.toMatchObject({ maxAppendSize: 100 });
    expect(server.records.map((r) => r.streamId)).toEqual(['s-1']);
  });

  it('the adapter refuses an oversized append before sending it, and maps a smaller server limit to the same error', async () => {
    const server = new EsdbSemanticsServer({ systemEvents: false });
    const store = new EsdbEventStore(server.connect(), { maxAppendBytes: 2_000 });
    const big = { type: 'Big', data: { p: 'x'.repeat(2_000) } };
    await expect(store.append(stream(), [big], 'no_stream')).rejects.toBeInstanceOf(AppendSizeExceeded);
    expect(server.records).toHaveLength(0);
    const strict = new EsdbEventStore(new EsdbSemanticsServer({ maxAppendSize: 500, systemEvents: false }).connect(), { maxAppendBytes: 5_000 });
    await expect(strict.append(stream(), [{ type: 'Big', data: { p: 'x'.repeat(1_000) } }], 'no_stream')).rejects.toMatchObject({
      code: 'APPEND_SIZE_EXCEEDED',
      maxAppendBytes: 500,
    });
  });
});
