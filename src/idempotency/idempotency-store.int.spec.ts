import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../../test/support/database.js';
import { openOrm } from '../../libs/database/orm.js';
import { readSql } from '../../libs/database/sql.js';
import type { AppConfig } from '../../libs/config/config.js';
import { migrations } from '../migrations.js';
import { IdempotencyStore, type Claim } from './idempotency-store.js';

const config = { encryptionKey: Buffer.alloc(32, 7) } as AppConfig;

/** Two app processes on one database: two ORMs (two pools), each with its own store. */
describe('IdempotencyStore across processes', () => {
  let first: MikroORM;
  let second: MikroORM;
  let a: IdempotencyStore;
  let b: IdempotencyStore;

  beforeAll(async () => {
    const url = await createTestDatabase();
    first = await openOrm(url, migrations);
    second = await openOrm(url, migrations);
    a = new IdempotencyStore(first, config);
    b = new IdempotencyStore(second, config);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('gives one of 20 concurrent claims of a key, from both processes, the right to run', async () => {
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('admin:co_1', 'k1', 'fp')));
    expect(claims.filter((c) => c.kind === 'run')).toHaveLength(1);
    expect(claims.filter((c) => c.kind !== 'run').map((c) => c.kind)).toEqual(Array(19).fill('in_use'));
  });

  it('replays the answer one process stored in the other, encrypted at rest; another fingerprint is a mismatch', async () => {
    const claim = (await a.claim('admin:co_1', 'k2', 'fp')) as Extract<Claim, { kind: 'run' }>;
    expect(await a.answer(claim.lease, { status: 201, headers: { 'cache-control': 'no-store' }, body: '{"partnerApiKey":"pf_partner_secret"}' })).toBe(true);
    expect(await b.claim('admin:co_1', 'k2', 'fp')).toEqual({
      kind: 'replay',
      answer: { status: 201, headers: { 'cache-control': 'no-store' }, body: '{"partnerApiKey":"pf_partner_secret"}' },
    });
    expect(await b.claim('admin:co_1', 'k2', 'other')).toEqual({ kind: 'mismatch' });
    expect(await b.claim('admin:co_2', 'k2', 'other')).toMatchObject({ kind: 'run' });
    const [row] = await readSql(first).query<{ answer_encrypted: string }>(
      "select answer_encrypted from idempotency_keys where scope = 'admin:co_1' and key_hash = 'k2'",
    );
    expect(row!.answer_encrypted).not.toContain('pf_partner_secret');
  });

  it('lets another process take over a key whose lease ran out, and refuses the late answer of the one that lost it', async () => {
    const dead = (await a.claim('partner:co_1:pa_1', 'k3', 'fp')) as Extract<Claim, { kind: 'run' }>;
    expect(await b.claim('partner:co_1:pa_1', 'k3', 'fp')).toEqual({ kind: 'in_use' });
    await readSql(first).query("update idempotency_keys set locked_until = now() - interval '1 second' where key_hash = 'k3'");
    expect(await b.claim('partner:co_1:pa_1', 'k3', 'other')).toEqual({ kind: 'mismatch' });
    const taken = await b.claim('partner:co_1:pa_1', 'k3', 'fp');
    expect(taken.kind).toBe('run');
    expect(await a.answer(dead.lease, { status: 200, headers: {}, body: '{}' })).toBe(false);
    await a.release(dead.lease);
    expect(await a.claim('partner:co_1:pa_1', 'k3', 'fp')).toEqual({ kind: 'in_use' });
  });

  it('renews a running lease, so a long request keeps its key', async () => {
    const claim = (await a.claim('operator', 'k4', 'fp')) as Extract<Claim, { kind: 'run' }>;
    await readSql(first).query("update idempotency_keys set locked_until = now() + interval '1 second' where key_hash = 'k4'");
    await a.renew(claim.lease);
    const [row] = await readSql(first).query<{ left: number }>(
      "select extract(epoch from locked_until - now()) as left from idempotency_keys where key_hash = 'k4'",
    );
    expect(Number(row!.left)).toBeGreaterThan(25);
  });
});
