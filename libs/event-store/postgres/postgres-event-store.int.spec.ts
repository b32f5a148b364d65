import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { eventStoreContract } from '../event-store.contract.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { EventStoreMigration } from './event-store.migration.js';
import { openOrm } from '../../database/orm.js';
import { createTestDatabase } from '../../../test/support/database.js';

async function migratedDatabase(): Promise<string> {
  const url = await createTestDatabase();
  const orm = await openOrm(url, [{ name: '0001_event_store', class: EventStoreMigration }]);
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
});
