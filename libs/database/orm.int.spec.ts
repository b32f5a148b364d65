import { describe, it, expect } from '@jest/globals';
import { createTestDatabase } from '../../test/support/database.js';
import { EventIdsMigration, EventStoreMigration } from '../event-store/postgres/event-store.migration.js';
import { ParkedEventsMigration } from '../event-store/parked-events.migration.js';
import { openOrm, type MigrationList } from './orm.js';
import { readSql } from './sql.js';

/** libs' own schema (the app's list is src/migrations.ts, which libs/ does not depend on). */
const migrations: MigrationList = [
  { name: '0001_event_store', class: EventStoreMigration },
  { name: '0050_parked_events', class: ParkedEventsMigration },
  { name: '0053_event_ids', class: EventIdsMigration },
];

describe('openOrm', () => {
  it('processes starting together on an empty database apply each migration once (web and worker replicas start at once)', async () => {
    const url = await createTestDatabase('pf_migrate');
    const orms = await Promise.all([1, 2, 3].map(() => openOrm(url, migrations, 2)));
    try {
      const rows = await readSql(orms[0]!).query<{ name: string }>('select name from schema_migrations order by id');
      expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    } finally {
      await Promise.all(orms.map((o) => o.close()));
    }
  });
});
