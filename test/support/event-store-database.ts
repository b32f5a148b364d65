import type { MikroORM } from '@mikro-orm/postgresql';
import { PostgresEventStore } from '../../libs/event-store/postgres/postgres-event-store.js';
import { eventStoreMigrations } from '../../libs/event-store/postgres/event-store.migration.js';
import { ParkedEventsMigration } from '../../libs/event-store/parked-events.migration.js';
import { openOrm } from '../../libs/database/orm.js';
import { createTestDatabase } from './database.js';

/** A fresh database holding only the event store (and the runner's parked events), with its ORM and store; closing them is pushed onto `cleanups`. */
export async function eventStoreDatabase(cleanups: (() => Promise<void>)[]): Promise<{ url: string; orm: MikroORM; store: PostgresEventStore }> {
  const url = await createTestDatabase();
  const orm: MikroORM = await openOrm(url, [...eventStoreMigrations, { name: '0050_parked_events', class: ParkedEventsMigration }]);
  const store = PostgresEventStore.connect(url);
  cleanups.push(async () => {
    await store.close();
    await orm.close();
  });
  return { url, orm, store };
}
