import { describe, it, expect } from '@jest/globals';
import { EventFeed } from './event-feed.js';
import { START, type EventStore, type RecordedEvent } from './event-store.port.js';

const ev = (n: number): RecordedEvent => ({
  streamId: 's',
  type: 'T',
  version: n,
  globalPosition: n,
  checkpoint: `1/${n}`,
  occurredAt: new Date(0),
  schemaVersion: 1,
  data: {},
  metadata: {},
});

/** A store of `count` events that records each readAll. */
function fakeStore(count: number) {
  const reads: string[] = [];
  let events = Array.from({ length: count }, (_, i) => ev(i + 1));
  const store = {
    async readAll(checkpoint: string, limit: number) {
      reads.push(`${checkpoint}|${limit}`);
      await new Promise((ok) => setTimeout(ok, 5));
      const after = Number(checkpoint.split('/')[1]);
      return events.filter((e) => e.globalPosition > after).slice(0, limit);
    },
  };
  return { store, reads, grow: (n: number) => (events = Array.from({ length: n }, (_, i) => ev(i + 1))) };
}

describe('EventFeed', () => {
  it('reads a page once for readers at the same place and the next page ahead', async () => {
    const { store, reads } = fakeStore(25);
    const feed = new EventFeed(store);
    const [a, b] = await Promise.all([feed.read(START, 10), feed.read(START, 10)]);
    expect(a).toBe(b);
    await new Promise((ok) => setTimeout(ok, 20));
    expect(reads).toEqual(['0/0|10', '1/10|10']);
    const next = await feed.read('1/10', 10);
    expect(next.map((e) => e.globalPosition)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(reads).toEqual(['0/0|10', '1/10|10', '1/20|10']);
  });

  it('keeps full pages (immutable) but asks again after a short page, which newer events may extend', async () => {
    const { store, reads, grow } = fakeStore(5);
    const feed = new EventFeed(store);
    expect(await feed.read(START, 10)).toHaveLength(5);
    grow(12);
    expect(await feed.read(START, 10)).toHaveLength(10);
    expect(await feed.read(START, 10)).toHaveLength(10);
    await new Promise((ok) => setTimeout(ok, 20));
    expect(reads.filter((r) => r === '0/0|10')).toHaveLength(2);
  });

  it('evicts the oldest pages beyond its size and reads them again when asked', async () => {
    const { store, reads } = fakeStore(100);
    const feed = new EventFeed(store, 20);
    for (let cp = START, i = 0; i < 4; i++) cp = (await feed.read(cp, 10)).at(-1)!.checkpoint;
    await feed.read(START, 10);
    expect(reads.filter((r) => r === '0/0|10')).toHaveLength(2);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const store = {
      readAll: async () => {
        if (fail) throw new Error('down');
        return [ev(1)];
      },
    };
    const feed = new EventFeed(store);
    await expect(feed.read(START, 10)).rejects.toThrow('down');
    fail = false;
    expect(await feed.read(START, 10)).toHaveLength(1);
  });
});
