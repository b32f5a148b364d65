import { describe, it, expect, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SubscriptionRunner } from '../../subscription-runner.js';
import type { Projection, Reactor } from '../../subscriptions.js';
import { alwaysLeader } from '../../leader-lock.js';
import { CheckpointsOfAnotherStore } from '../../event-store.port.js';
import { readSql } from '../../../database/sql.js';
import { createLogger } from '../../../logging/logger.js';
import { eventStoreDatabase } from '../../../../test/support/event-store-database.js';
import { EsdbSemanticsEventStore } from './esdb-semantics-event-store.js';

const log = createLogger('silent');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Checkpoints stay in Postgres; the events are in the EventStoreDB-semantics store. */
async function setup(events: number) {
  const { orm } = await eventStoreDatabase(cleanups);
  const store = EsdbSemanticsEventStore.create();
  const stream = `count-${randomUUID()}`;
  for (let n = 1; n <= events; n++) await store.append(stream, [{ type: 'Counted', data: { n } }], n === 1 ? 'no_stream' : n - 1);
  const sql = readSql(orm);
  const runner = (opts = {}) => {
    const r = new SubscriptionRunner(store, orm, alwaysLeader, log, { pollMs: 20, ...opts });
    cleanups.push(() => r.stop());
    return r;
  };
  const counted = async (table: string) => Number((await sql.query<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);
  return { orm, store, sql, runner, counted };
}

function counting(name: string, before?: () => Promise<void>): Projection {
  return {
    name,
    tables: [name],
    types: ['Counted'],
    async apply(e, sql) {
      await before?.();
      await sql.query(`insert into ${name} (n) values ($1)`, [e.data.n]);
    },
  };
}

const eventually = async (check: () => Promise<boolean>, ms = 10_000) => {
  for (const deadline = Date.now() + ms; !(await check());) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 20));
  }
};

describe('subscription runner on the EventStoreDB-semantics store', () => {
  it('refuses to start on checkpoints another store wrote, naming them: rebuild needed', async () => {
    const { sql, runner, counted, store } = await setup(20);
    await sql.query('create table p_counts (n integer primary key)');
    const reactor: Reactor = { name: 'r_side_effects', react: async () => undefined };
    const r = runner();
    r.addProjection(counting('p_counts'));
    r.addReactor(reactor);
    // what a deployment that moved from the Postgres event store holds
    await sql.query(
      `insert into es_checkpoints (name, checkpoint, global_position) values ('p_counts', '812/4077', 4077), ('r_side_effects', '812/4077', 4077)`,
    );
    const error = await r.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckpointsOfAnotherStore);
    expect(error).toMatchObject({ names: ['p_counts', 'r_side_effects'] });
    expect((error as Error).message).toMatch(/eventstoredb event store cannot resume p_counts, r_side_effects.*Rebuild needed/);
    await r.rebuild(['p_counts']);
    await expect(r.start()).rejects.toMatchObject({ names: ['r_side_effects'] });
    await sql.query(`update es_checkpoints set checkpoint = $1 where name = 'r_side_effects'`, [(await store.head()).checkpoint]);
    await r.start();
    await eventually(async () => (await counted('p_counts')) === 20);
  });

  it('paces rebuilding projections by events replayed, not by positions (byte offsets here): the fast one runs 3 pages ahead', async () => {
    const { sql, runner, counted } = await setup(200);
    await sql.query('create table slow_counts (n integer primary key)');
    await sql.query('create table fast_counts (n integer primary key)');
    let open!: () => void;
    const gate = new Promise<void>((ok) => (open = ok));
    const r = runner({ replayBatchSize: 10 });
    r.addProjection(counting('slow_counts', () => gate));
    r.addProjection(counting('fast_counts'));
    cleanups.push(async () => open());
    await r.rebuild(['slow_counts', 'fast_counts']);
    await r.start();
    await eventually(async () => (await counted('fast_counts')) >= 30);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(await counted('fast_counts')).toBe(30);
    open();
    await r.whenRebuilt(['slow_counts', 'fast_counts'], 20_000);
    expect([await counted('slow_counts'), await counted('fast_counts')]).toEqual([200, 200]);
  });
});
