import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { eventStoreContract } from '../testing/event-store.contract.js';
import { WrongExpectedVersion } from '../event-store.port.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { eventStoreMigrations } from './event-store.migration.js';
import { openOrm } from '../../database/orm.js';
import { createTestDatabase } from '../../../test/support/database.js';

async function migratedDatabase(): Promise<string> {
  const url = await createTestDatabase();
  const orm = await openOrm(url, eventStoreMigrations);
  await orm.close();
  return url;
}

eventStoreContract('postgres', async () => PostgresEventStore.connect(await migratedDatabase()));

describe('postgres event store: late commits', () => {
  let url: string;
  let store: PostgresEventStore;
  beforeAll(async () => {
    url = await migratedDatabase();
    store = PostgresEventStore.connect(url);
  });
  afterAll(() => store.close());

  it('does not let a reader pass an event whose transaction commits after a later one', async () => {
    const slow = new pg.Client({ connectionString: url });
    await slow.connect();
    await slow.query('begin');
    // takes the lower sequence number and transaction id, then stays open
    await slow.query(`insert into es_events (stream_id, version, type, data) values ('late-1', 1, 'Late', '{}')`);
    await store.append('early-1', [{ type: 'Early', data: {} }], 'no_stream');
    const before = await store.readAll('0/0', 100);
    expect(before.map((e) => e.type)).not.toContain('Early');
    await slow.query('commit');
    await slow.end();
    const after = await store.readAll('0/0', 100);
    expect(after.map((e) => e.type)).toEqual(['Late', 'Early']);
  });

  it('appendMany commits every stream under one transaction id, invisible to readers behind an older open transaction', async () => {
    const slow = new pg.Client({ connectionString: url });
    await slow.connect();
    await slow.query('begin');
    await slow.query(`insert into es_events (stream_id, version, type, data) values ('late-2', 1, 'Late2', '{}')`);
    const from = (await store.head()).checkpoint;
    const results = await store.appendMany(
      Array.from({ length: 30 }, (_, i) => ({
        streamId: `many-${i}-${Date.now()}`,
        events: [
          { type: 'Many', data: { i } },
          { type: 'Many', data: { i } },
        ],
        expectedVersion: 'no_stream' as const,
      })),
    );
    expect(new Set(results.map((r) => r.checkpoint.split('/')[0])).size).toBe(1);
    expect((await store.readAll(from, 100)).filter((e) => e.type === 'Many')).toEqual([]);
    await slow.query('commit');
    await slow.end();
    const after = await store.readAll(from, 100);
    expect(after.map((e) => e.type)).toEqual(['Late2', ...Array.from({ length: 60 }, () => 'Many')]);
    expect(after.filter((e) => e.type === 'Many').map((e) => e.data.i)).toEqual(Array.from({ length: 60 }, (_, k) => Math.floor(k / 2)));
  });

  it('appendMany losing a version to a concurrent commit fails as a whole, naming that stream; an any stream is retried', async () => {
    const slow = new pg.Client({ connectionString: url });
    await slow.connect();
    const suffix = Date.now();
    await slow.query('begin');
    await slow.query(`insert into es_events (stream_id, version, type, data) values ($1, 1, 'Taken', '{}'), ($2, 1, 'Taken', '{}')`, [
      `taken-${suffix}`,
      `shared-${suffix}`,
    ]);
    const lost = store
      .appendMany([
        { streamId: `before-${suffix}`, events: [{ type: 'X', data: {} }], expectedVersion: 'no_stream' },
        { streamId: `taken-${suffix}`, events: [{ type: 'X', data: {} }], expectedVersion: 'no_stream' },
        { streamId: `after-${suffix}`, events: [{ type: 'X', data: {} }], expectedVersion: 'any' },
      ])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const retried = store.appendMany([
      { streamId: `other-${suffix}`, events: [{ type: 'X', data: {} }], expectedVersion: 'no_stream' },
      { streamId: `shared-${suffix}`, events: [{ type: 'X', data: {} }], expectedVersion: 'any' },
    ]);
    await new Promise((ok) => setTimeout(ok, 200));
    await slow.query('commit');
    await slow.end();
    const error = await lost;
    expect(error).toBeInstanceOf(WrongExpectedVersion);
    expect(error).toMatchObject({ streamId: `taken-${suffix}`, expected: 'no_stream', actual: null });
    expect(await store.readStream(`before-${suffix}`)).toEqual([]);
    expect(await store.readStream(`after-${suffix}`)).toEqual([]);
    expect((await store.readStream(`taken-${suffix}`)).map((e) => e.type)).toEqual(['Taken']);
    expect((await retried).map((r) => r.nextVersion)).toEqual([1, 2]);
    expect((await store.readStream(`shared-${suffix}`)).map((e) => e.type)).toEqual(['Taken', 'X']);
  });
});

describe('postgres event store: event ids', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = PostgresEventStore.connect(await migratedDatabase());
  });
  afterAll(() => store.close());

  it('two retries of an `any` append racing each other write its events once', async () => {
    const s = `race-${Date.now()}`;
    await store.append(s, [{ type: 'X', data: { n: 0 } }], 'no_stream');
    const events = [
      { type: 'X', data: { n: 1 }, id: randomUUID() },
      { type: 'X', data: { n: 2 }, id: randomUUID() },
    ];
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.appendMany([
          { streamId: s, events, expectedVersion: 'any' },
          { streamId: `${s}-other`, events: [{ type: 'Y', data: {} }], expectedVersion: 'any' },
        ]),
      ),
    );
    expect(results.map((r) => r[0]!.nextVersion)).toEqual(Array.from({ length: 6 }, () => 3));
    expect((await store.readStream(s)).map((e) => e.data.n)).toEqual([0, 1, 2]);
  });

  it('refuses to append an id its stream already holds at another position', async () => {
    const s = `reuse-${Date.now()}`;
    const id = randomUUID();
    await store.append(s, [{ type: 'X', data: {}, id }], 'no_stream');
    await expect(store.append(s, [{ type: 'X', data: {}, id }], 1)).rejects.toThrow(/reuses an event id/);
    expect(await store.readStream(s)).toHaveLength(1);
  });

  it('owns its own checkpoints only', () => {
    expect(store.ownsCheckpoint('123/456')).toBe(true);
    expect(store.ownsCheckpoint('esdb:123/456')).toBe(false);
  });
});

describe('postgres event store: appends carrying event ids', () => {
  let store: PostgresEventStore;
  let queries: number;
  beforeAll(async () => {
    store = PostgresEventStore.connect(await migratedDatabase());
    const pool = Reflect.get(store, 'pool');
    if (!(pool instanceof pg.Pool)) throw new Error('the store keeps its pool in `pool`');
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    Reflect.set(pool, 'query', (...args: unknown[]) => {
      queries++;
      return query(...args);
    });
  });
  afterAll(() => store.close());

  it('at an exact version: one round trip when nothing is there yet, and a retry still answers the first write', async () => {
    const event = { type: 'Clicked', data: {}, id: randomUUID() };
    queries = 0;
    const first = await store.append(`ids-${randomUUID()}`, [event], 'no_stream');
    expect(queries).toBe(1);
    const streamId = `ids-${randomUUID()}`;
    const written = await store.append(streamId, [event], 'no_stream');
    expect(await store.append(streamId, [event], 'no_stream')).toEqual(written);
    expect(first.nextVersion).toBe(1);
  });
});
