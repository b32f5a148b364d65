import { describe, it, expect, afterEach, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CONFLICT_RETRIES, handleCommand, systemClock } from './command-handling.js';
import type { RecordedEvent } from './event-store.port.js';
import { eventStoreDatabase } from '../../test/support/event-store-database.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Tally = { total: number };
const none: Tally = { total: 0 };
const evolve = (s: Tally, e: RecordedEvent): Tally => ({ total: s.total + (e.data as { n: number }).n });
const added = (n: number) => ({ type: 'Added', data: { n } });

describe('handleCommand: streams assumed at a known state', () => {
  it('appends at the assumed version without reading the stream', async () => {
    const { store } = await eventStoreDatabase(cleanups);
    const stream = `tally-${randomUUID()}`;
    await store.append(stream, [added(2)], 'no_stream');
    const reads = jest.spyOn(store, 'readStream');
    const { result, appended } = await handleCommand(store, systemClock, randomUUID(), async (ctx) => {
      const { state, version } = await ctx.assume(stream, { state: { total: 2 }, version: 1 }, none, evolve);
      ctx.appendRaw(stream, [added(state.total)], version);
      return state.total;
    });
    expect({ result, appended, reads: reads.mock.calls.length }).toEqual({ result: 2, appended: 1, reads: 0 });
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 2 }, { n: 2 }]);
  });

  it('takes the decision again on a read when one of the assumed streams moved meanwhile, and writes all streams once', async () => {
    const { store } = await eventStoreDatabase(cleanups);
    const [a, b] = [`tally-${randomUUID()}`, `tally-${randomUUID()}`];
    await store.append(a, [added(1)], 'no_stream');
    await store.append(b, [added(1), added(5)], 'no_stream');
    const seen: number[][] = [];
    const { appended } = await handleCommand(store, systemClock, randomUUID(), async (ctx) => {
      // b is assumed as it was before its second event
      const loaded = await Promise.all([a, b].map((s) => ctx.assume(s, { state: { total: 1 }, version: 1 }, none, evolve)));
      seen.push(loaded.map((l) => l.state.total));
      for (const l of loaded) ctx.appendRaw(l.streamId, [added(-l.state.total)], l.version);
    });
    expect(seen).toEqual([
      [1, 1],
      [1, 6],
    ]);
    expect(appended).toBe(2);
    expect((await store.readStream(a)).reduce(evolve, none)).toEqual({ total: 0 });
    expect((await store.readStream(b)).reduce(evolve, none)).toEqual({ total: 0 });
  });

  it('gives up after CONFLICT_RETRIES decisions taken again', async () => {
    const { store } = await eventStoreDatabase(cleanups);
    const stream = `tally-${randomUUID()}`;
    let decisions = 0;
    const moving = handleCommand(store, systemClock, randomUUID(), async (ctx) => {
      decisions++;
      const { version } = await ctx.assume(stream, { state: none, version: 0 }, none, evolve);
      await store.append(stream, [added(1)], 'any'); // another writer, every time
      ctx.appendRaw(stream, [added(1)], version === 0 ? 'no_stream' : version);
    });
    await expect(moving).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION' });
    expect(decisions).toBe(CONFLICT_RETRIES + 1);
  });
});
