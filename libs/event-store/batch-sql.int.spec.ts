import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { columnsOf, RowPatches } from './batch-sql.js';
import { openOrm } from '../database/orm.js';
import { readSql, type Sql } from '../database/sql.js';
import { createTestDatabase } from '../../test/support/database.js';

describe('set-based projection writes', () => {
  let orm: MikroORM;
  let sql: Sql;
  beforeAll(async () => {
    orm = await openOrm(await createTestDatabase(), []);
    sql = readSql(orm);
    await sql.query('create table things (id text primary key, name text not null, plan jsonb, size bigint)');
  });
  afterAll(() => orm.close());

  it('inserts rows given column-wise', async () => {
    const rows = [
      ['a', 'A', JSON.stringify({ p: 1 }), 1],
      ['b', 'B', null, 2],
    ];
    expect(columnsOf(rows, 4)).toEqual([
      ['a', 'b'],
      ['A', 'B'],
      ['{"p":1}', null],
      [1, 2],
    ]);
    await sql.query('insert into things select * from unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[])', columnsOf(rows, 4));
    expect(await sql.query('select * from things order by id')).toEqual([
      { id: 'a', name: 'A', plan: { p: 1 }, size: '1' },
      { id: 'b', name: 'B', plan: null, size: '2' },
    ]);
  });

  it('patches: the last value of a column wins, null is a value, other columns and rows stay, unknown rows are ignored', async () => {
    const patches = new RowPatches();
    patches.set('a', 'name', 'first');
    patches.set('a', 'plan', null);
    patches.set('a', 'name', 'last');
    patches.set('b', 'plan', JSON.stringify({ p: 2 }));
    patches.set('b', 'size', 20);
    patches.set('ghost', 'name', 'nobody');
    await patches.write(sql, 'things', 'id', { name: 'text', plan: 'jsonb', size: 'bigint' });
    expect(await sql.query('select * from things order by id')).toEqual([
      { id: 'a', name: 'last', plan: null, size: '1' },
      { id: 'b', name: 'B', plan: { p: 2 }, size: '20' },
    ]);
  });

  it('writes nothing when empty', async () => {
    const log: string[] = [];
    await new RowPatches().write({ query: async (t: string) => (log.push(t), []) } as Sql, 'things', 'id', { name: 'text' });
    expect(log).toEqual([]);
  });
});
