import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  AppendSizeExceeded,
  START,
  WrongExpectedVersion,
  compareCheckpoints,
  type EventStore,
  type ExpectedVersion,
  type RecordedEvent,
} from '../event-store.port.js';

/**
 * The behaviour every adapter must have; run by each adapter's spec. Cases that only hold when `appendMany` is
 * atomic check `store.capabilities.atomicAppendMany`; the others hold on every store.
 */
export function eventStoreContract(name: string, open: () => Promise<EventStore>, cleanup: () => Promise<void> = async () => undefined): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    const options = { atomicAppendMany: false };
    beforeAll(async () => {
      store = await open();
      options.atomicAppendMany = store.capabilities.atomicAppendMany;
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });
    const stream = () => `test-${randomUUID()}`;
    const ev = (n: number) => ({ type: 'Counted', data: { n } });
    /** An event with a deterministic id, as a command retried after an unknown outcome writes it again. */
    const idEv = (n: number, id = randomUUID()) => ({ type: 'Counted', data: { n }, id });

    it('appends to a new stream and reads it back in order', async () => {
      const s = stream();
      const r = await store.append(s, [ev(1), ev(2)], 'no_stream');
      expect(r.nextVersion).toBe(2);
      const events = await store.readStream(s);
      expect(events.map((e) => [e.version, e.data.n])).toEqual([
        [1, 1],
        [2, 2],
      ]);
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
      await store.appendMany([
        { streamId: guard, events: [ev(1)], expectedVersion: 'no_stream' },
        { streamId: a, events: [ev(1)], expectedVersion: 'any' },
      ]);
      await expect(
        store.appendMany([
          { streamId: guard, events: [ev(2)], expectedVersion: 'no_stream' },
          { streamId: stream(), events: [ev(1)], expectedVersion: 'any' },
        ]),
      ).rejects.toBeInstanceOf(WrongExpectedVersion);
      expect(await store.readStream(a)).toHaveLength(1);
    });

    it('appendMany writes many streams with mixed expectations in call order, one result per stream', async () => {
      const existing = Array.from({ length: 50 }, () => stream());
      for (const s of existing) await store.append(s, [ev(0), ev(0)], 'no_stream');
      const fresh = Array.from({ length: 250 }, () => stream());
      const appends = [
        ...fresh.map((s, i) => ({
          streamId: s,
          events: Array.from({ length: 1 + (i % 3) }, (_, j) => ev(j + 1)),
          expectedVersion: (i % 2 ? 'no_stream' : 'any') as ExpectedVersion,
        })),
        ...existing.map((s, i) => ({
          streamId: s,
          events: [ev(3)],
          expectedVersion: (i % 3 === 0 ? 2 : i % 3 === 1 ? 'stream_exists' : 'any') as ExpectedVersion,
        })),
      ];
      const before = (await store.head()).checkpoint;
      const results = await store.appendMany(appends);
      expect(results).toHaveLength(appends.length);
      appends.forEach((a, i) => expect(results[i]!.nextVersion).toBe(fresh.includes(a.streamId) ? a.events.length : 3));
      for (let i = 1; i < results.length; i++) expect(compareCheckpoints(results[i]!.checkpoint, results[i - 1]!.checkpoint)).toBe(1);
      for (const [i, a] of appends.entries()) {
        const events = await store.readStream(a.streamId);
        expect(events.map((e) => e.data.n)).toEqual(fresh.includes(a.streamId) ? a.events.map((e) => e.data.n) : [0, 0, 3]);
        expect(events.map((e) => e.version)).toEqual(events.map((_, v) => v + 1));
        // read-your-writes waits for the result's checkpoint: on Postgres it is the stream's last event's own
        if (options.atomicAppendMany) expect(events[events.length - 1]!.checkpoint).toBe(results[i]!.checkpoint);
      }
      // readAll sees them in call order, each stream's events in order
      const mine = new Set(appends.map((a) => a.streamId));
      const seen: RecordedEvent[] = [];
      for (let cp = before; ;) {
        const page = await store.readAll(cp, 1000);
        if (page.length === 0) break;
        seen.push(...page.filter((e) => mine.has(e.streamId)));
        cp = page[page.length - 1]!.checkpoint;
      }
      expect(seen.map((e) => `${e.streamId}@${e.version}`)).toEqual(
        appends.flatMap((a) => {
          const from = fresh.includes(a.streamId) ? 1 : 3;
          return a.events.map((_, j) => `${a.streamId}@${from + j}`);
        }),
      );
    }, 60_000);

    it('appendMany with one stale stream in the middle fails with WrongExpectedVersion naming that stream', async () => {
      const conflicting = stream();
      await store.append(conflicting, [ev(1), ev(2)], 'no_stream');
      const head = Array.from({ length: 100 }, () => stream());
      const tail = Array.from({ length: 100 }, () => stream());
      const appends = [
        ...head.map((s) => ({ streamId: s, events: [idEv(1)], expectedVersion: 'no_stream' as ExpectedVersion })),
        { streamId: conflicting, events: [idEv(3)], expectedVersion: 1 as ExpectedVersion },
        ...tail.map((s) => ({ streamId: s, events: [idEv(1)], expectedVersion: 'any' as ExpectedVersion })),
      ];
      const error = await store.appendMany(appends).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedVersion);
      expect(error).toMatchObject({ streamId: conflicting, expected: 1, actual: 2, code: 'WRONG_EXPECTED_VERSION' });
      expect((error as Error).message).toBe(`Stream ${conflicting}: expected version 1, actual 2`);
      expect((await store.readStream(conflicting)).map((e) => e.data.n)).toEqual([1, 2]);
      for (const s of tail) expect(await store.readStream(s)).toEqual([]);
      // atomic: nothing written; stream by stream: the streams before the failing one are
      for (const s of head) expect(await store.readStream(s)).toHaveLength(options.atomicAppendMany ? 0 : 1);
      // and the same call (same event ids) with the right version writes everything once
      appends[100] = { streamId: conflicting, events: appends[100]!.events, expectedVersion: 2 };
      const results = await store.appendMany(appends);
      expect(results.map((r) => r.nextVersion)).toEqual([...head.map(() => 1), 3, ...tail.map(() => 1)]);
      for (const s of [...head, ...tail]) expect((await store.readStream(s)).map((e) => e.data.n)).toEqual([1]);
    }, 60_000);

    it('appendMany fails on a no_stream or stream_exists expectation that does not hold', async () => {
      const existing = stream();
      await store.append(existing, [ev(1)], 'no_stream');
      const missing = stream();
      const other = stream();
      await expect(
        store.appendMany([
          { streamId: other, events: [ev(1)], expectedVersion: 'any' },
          { streamId: missing, events: [ev(1)], expectedVersion: 'stream_exists' },
        ]),
      ).rejects.toMatchObject({ streamId: missing, expected: 'stream_exists', code: 'WRONG_EXPECTED_VERSION' });
      await expect(
        store.appendMany([
          { streamId: other, events: [ev(1)], expectedVersion: 'any' },
          { streamId: existing, events: [ev(2)], expectedVersion: 'no_stream' },
        ]),
      ).rejects.toMatchObject({ streamId: existing, expected: 'no_stream', actual: 1 });
      if (options.atomicAppendMany) expect(await store.readStream(other)).toEqual([]);
      expect(await store.readStream(missing)).toEqual([]);
    });

    it('appendMany racing on a shared stream: exactly one call of several wins, the others write nothing', async () => {
      const guard = stream();
      await store.append(guard, [ev(0)], 'no_stream');
      const calls = Array.from({ length: 5 }, () => Array.from({ length: 20 }, () => stream()));
      const results = await Promise.allSettled(
        calls.map((streams) =>
          store.appendMany([
            ...streams.map((s) => ({ streamId: s, events: [ev(1)], expectedVersion: 'no_stream' as ExpectedVersion })),
            { streamId: guard, events: [ev(1)], expectedVersion: 1 },
          ]),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ streamId: guard, code: 'WRONG_EXPECTED_VERSION' });
      expect(await store.readStream(guard)).toHaveLength(2);
      if (options.atomicAppendMany) {
        const written = await Promise.all(
          calls.map(async (streams) => (await Promise.all(streams.map((s) => store.readStream(s)))).every((e) => e.length === 1)),
        );
        expect(written.filter(Boolean)).toHaveLength(1);
        for (const [i, streams] of calls.entries()) if (!written[i]) for (const s of streams) expect(await store.readStream(s)).toEqual([]);
      }
    }, 60_000);

    it('appendMany naming a stream twice appends the second after the first', async () => {
      const s = stream();
      const other = stream();
      const results = await store.appendMany([
        { streamId: s, events: [ev(1)], expectedVersion: 'no_stream' },
        { streamId: other, events: [ev(1)], expectedVersion: 'no_stream' },
        { streamId: s, events: [ev(2), ev(3)], expectedVersion: 1 },
      ]);
      expect(results.map((r) => r.nextVersion)).toEqual([1, 1, 3]);
      expect((await store.readStream(s)).map((e) => e.data.n)).toEqual([1, 2, 3]);
      await expect(
        store.appendMany([
          { streamId: s, events: [ev(4)], expectedVersion: 3 },
          { streamId: s, events: [ev(5)], expectedVersion: 3 },
        ]),
      ).rejects.toMatchObject({ streamId: s, expected: 3, code: 'WRONG_EXPECTED_VERSION' });
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
      expect(store.ownsCheckpoint(head.checkpoint)).toBe(true);
      expect(store.ownsCheckpoint(START)).toBe(true);
    });

    it('readAll in pages of one walks every event after a checkpoint, in order, and counts them', async () => {
      const before = (await store.head()).checkpoint;
      const s = stream();
      for (let i = 1; i <= 5; i++) await store.append(s, [ev(i), ev(i * 10)], i === 1 ? 'no_stream' : (i - 1) * 2);
      const seen: RecordedEvent[] = [];
      for (let cp = before; ;) {
        const page = await store.readAll(cp, 1);
        if (page.length === 0) break;
        expect(page).toHaveLength(1);
        seen.push(page[0]!);
        cp = page[0]!.checkpoint;
      }
      expect(seen.filter((e) => e.streamId === s).map((e) => e.data.n)).toEqual([1, 10, 2, 20, 3, 30, 4, 40, 5, 50]);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.globalPosition).toBeGreaterThan(seen[i - 1]!.globalPosition);
      expect(await store.countAfter(before)).toBe(seen.length);
      expect((await store.head()).checkpoint).toBe(seen[seen.length - 1]!.checkpoint);
    });

    it('retrying an append with the same event ids at the same expected version writes nothing again', async () => {
      const s = stream();
      const first = [idEv(1), idEv(2)];
      const written = await store.append(s, first, 'no_stream');
      const again = await store.append(s, first, 'no_stream');
      expect(again.nextVersion).toBe(2);
      expect(store.ownsCheckpoint(again.checkpoint)).toBe(true);
      const next = [idEv(3)];
      await store.append(s, next, 2);
      expect((await store.append(s, next, 2)).nextVersion).toBe(3);
      // `any` right after: the ids are recent, found
      expect((await store.append(s, next, 'any')).nextVersion).toBe(3);
      expect((await store.readStream(s)).map((e) => e.data.n)).toEqual([1, 2, 3]);
      expect(compareCheckpoints(again.checkpoint, written.checkpoint)).toBeGreaterThanOrEqual(0);
    });

    it('an append whose ids only partly match the events at its expected version, or other ids, is a wrong expected version', async () => {
      const s = stream();
      const [a, b] = [idEv(1), idEv(2)];
      await store.append(s, [a, b], 'no_stream');
      await expect(store.append(s, [a, idEv(9)], 'no_stream')).rejects.toMatchObject({ streamId: s, code: 'WRONG_EXPECTED_VERSION' });
      await expect(store.append(s, [idEv(9)], 'no_stream')).rejects.toMatchObject({ streamId: s, code: 'WRONG_EXPECTED_VERSION' });
      await expect(store.append(s, [a, idEv(9)], 'any')).rejects.toMatchObject({ streamId: s, code: 'WRONG_EXPECTED_VERSION' });
      await expect(store.append(s, [b, a], 'no_stream')).rejects.toMatchObject({ streamId: s, code: 'WRONG_EXPECTED_VERSION' });
      expect((await store.readStream(s)).map((e) => e.data.n)).toEqual([1, 2]);
    });

    it('appendMany retried with the same ids after only its first stream was written completes it without duplicates', async () => {
      const [guard, other] = [stream(), stream()];
      const appends = [
        { streamId: guard, events: [idEv(1)], expectedVersion: 'no_stream' as ExpectedVersion },
        { streamId: other, events: [idEv(1), idEv(2)], expectedVersion: 'no_stream' as ExpectedVersion },
      ];
      // what a crash between the two writes of a non-atomic appendMany leaves
      await store.append(guard, appends[0]!.events, 'no_stream');
      const results = await store.appendMany(appends);
      expect(results.map((r) => r.nextVersion)).toEqual([1, 2]);
      expect(await store.appendMany(appends).then((r) => r.map((x) => x.nextVersion))).toEqual([1, 2]);
      expect((await store.readStream(guard)).map((e) => e.data.n)).toEqual([1]);
      expect((await store.readStream(other)).map((e) => e.data.n)).toEqual([1, 2]);
    });

    it('an append larger than the store takes is refused before anything is written, naming the stream', async () => {
      const max = store.capabilities.maxAppendBytes;
      if (max === null) return;
      const s = stream();
      const error = await store.append(s, [ev(0), { type: 'Big', data: { p: 'x'.repeat(max) } }], 'no_stream').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppendSizeExceeded);
      expect(error).toMatchObject({ streamId: s, maxAppendBytes: max, code: 'APPEND_SIZE_EXCEEDED' });
      expect((error as AppendSizeExceeded).size).toBeGreaterThan(max);
      expect(await store.readStream(s)).toEqual([]);
      await store.append(s, [{ type: 'Big', data: { p: 'x'.repeat(max / 2) } }], 'no_stream');
      expect(await store.readStream(s)).toHaveLength(1);
    });
  });
}
