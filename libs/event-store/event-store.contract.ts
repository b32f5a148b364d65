import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { START, WrongExpectedVersion, compareCheckpoints, type EventStore, type RecordedEvent } from './event-store.port.js';

/** The behaviour every adapter must have; run by each adapter's spec. */
export function eventStoreContract(name: string, open: () => Promise<EventStore>, cleanup: () => Promise<void> = async () => undefined): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });
    const stream = () => `test-${randomUUID()}`;
    const ev = (n: number) => ({ type: 'Counted', data: { n } });

    it('appends to a new stream and reads it back in order', async () => {
      const s = stream();
      const r = await store.append(s, [ev(1), ev(2)], 'no_stream');
      expect(r.nextVersion).toBe(2);
      const events = await store.readStream(s);
      expect(events.map((e) => [e.version, e.data.n])).toEqual([[1, 1], [2, 2]]);
      expect(events[0]!.type).toBe('Counted');
    });

    it('rejects a stale expected version with WrongExpectedVersion and writes nothing', async () => {
      const s = stream();
      await store.append(s, [ev(1)], 'no_stream');
      await expect(store.append(s, [ev(2)], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersion);
      await expect(store.append(s, [ev(2)], 5)).rejects.toBeInstanceOf(WrongExpectedVersion);
      await store.append(s, [ev(2)], 1);
      expect((await store.readStream(s)).map((e) => e.data.n)).toEqual([1, 2]);
    });

    it('lets exactly one of two racing writers win on the same expected version', async () => {
      const s = stream();
      await store.append(s, [ev(0)], 'no_stream');
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.append(s, [ev(i + 1)], 1)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof WrongExpectedVersion)).toBe(true);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('appendMany writes several streams and fails on a guard stream that exists', async () => {
      const guard = stream();
      const a = stream();
      await store.appendMany([{ streamId: guard, events: [ev(1)], expectedVersion: 'no_stream' }, { streamId: a, events: [ev(1)], expectedVersion: 'any' }]);
      await expect(store.appendMany([{ streamId: guard, events: [ev(2)], expectedVersion: 'no_stream' }, { streamId: stream(), events: [ev(1)], expectedVersion: 'any' }])).rejects.toBeInstanceOf(WrongExpectedVersion);
      expect(await store.readStream(a)).toHaveLength(1);
    });

    it('8 concurrent writers x 1,000 events: a subscriber sees all 8,000 exactly once, in one global order', async () => {
      const start = (await store.head()).checkpoint;
      const prefix = `w-${randomUUID()}`;
      const seen: RecordedEvent[] = [];
      let writing = true;
      const reader = (async () => {
        let cp = start;
        for (;;) {
          const batch = await store.readAll(cp, 500);
          for (const e of batch) {
            expect(compareCheckpoints(e.checkpoint, cp)).toBe(1);
            cp = e.checkpoint;
            if (e.streamId.startsWith(prefix)) seen.push(e);
          }
          if (batch.length === 0) {
            if (!writing) return;
            await new Promise((ok) => setTimeout(ok, 5));
          }
        }
      })();
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; i < 1000; i++) await store.append(`${prefix}-${w}`, [ev(i)], i);
        }),
      );
      writing = false;
      await reader;
      expect(seen).toHaveLength(8000);
      expect(new Set(seen.map((e) => e.checkpoint)).size).toBe(8000);
      for (let w = 0; w < 8; w++) {
        expect(seen.filter((e) => e.streamId === `${prefix}-${w}`).map((e) => e.data.n)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      }
    }, 120_000);

    it('readAll from START returns events and head points at the newest', async () => {
      const s = stream();
      await store.append(s, [ev(1)], 'no_stream');
      const head = await store.head();
      expect((await store.readAll(START, 1)).length).toBe(1);
      expect(await store.readAll(head.checkpoint, 10)).toEqual([]);
      expect(await store.countAfter(head.checkpoint)).toBe(0);
    });
  });
}
