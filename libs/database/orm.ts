import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import type { Constructor } from '@mikro-orm/core';

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
  await orm.migrator.up();
  return orm;
}
