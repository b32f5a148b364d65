import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import type { Constructor } from '@mikro-orm/core';
import pg from 'pg';

/** Advisory lock key serializing migrations between processes starting together on one database. */
const MIGRATION_LOCK = 4_242_000;

export type MigrationList = { name: string; class: Constructor<Migration> }[];

/** MikroORM owns the read-model schema (migrations) and the transactions projections write in. */
export async function openOrm(url: string, migrations: MigrationList, poolMax = 10): Promise<MikroORM> {
  const orm = await MikroORM.init({
    clientUrl: url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { migrationsList: migrations, snapshot: false, silent: true, tableName: 'schema_migrations' },
    pool: { min: 1, max: poolMax },
    debug: false,
    allowGlobalContext: true,
  });
  // Web and worker replicas start at once: one applies the migrations, the others wait, then find none pending.
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await orm.migrator.up();
  } catch (e) {
    await orm.close();
    throw e;
  } finally {
    await lock.end().catch(() => undefined);
  }
  return orm;
}
