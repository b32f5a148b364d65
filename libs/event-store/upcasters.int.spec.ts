import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { START } from './event-store.port.js';
import { currentSchemaVersion, registerUpcaster, upcast } from './upcasters.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { eventStoreMigrations } from './postgres/event-store.migration.js';
import { openOrm } from '../database/orm.js';
import { readSql } from '../database/sql.js';
import { createTestDatabase } from '../../test/support/database.js';
import type { MikroORM } from '@mikro-orm/postgresql';

// v1 {fullName}, v2 {firstName, lastName}, v3 adds {locale}: an event type whose shape changed twice.
const TYPE = 'TestContactAdded';
registerUpcaster({
  type: TYPE,
  fromVersion: 1,
  upcast: ({ fullName, ...rest }) => {
    const [firstName, ...last] = String(fullName).split(' ');
    return { ...rest, firstName, lastName: last.join(' ') };
  },
});
registerUpcaster({ type: TYPE, fromVersion: 2, upcast: (data) => ({ ...data, locale: 'en' }) });

describe('upcasting at the event store', () => {
  let orm: MikroORM;
  let store: PostgresEventStore;
  beforeAll(async () => {
    const url = await createTestDatabase();
    orm = await openOrm(url, eventStoreMigrations);
    store = PostgresEventStore.connect(url);
  });
  afterAll(async () => {
    await store.close();
    await orm.close();
  });

  it('reads an event stored as v1 in the newest shape, from readStream and readAll', async () => {
    const stream = `contact-${randomUUID()}`;
    const head = (await store.head()).checkpoint;
    await store.append(stream, [{ type: TYPE, data: { contactId: 'c1', fullName: 'Ada King Lovelace' }, schemaVersion: 1 }], 'no_stream');
    const [fromStream] = await store.readStream(stream);
    expect(fromStream!.schemaVersion).toBe(3);
    expect(fromStream!.data).toEqual({ contactId: 'c1', firstName: 'Ada', lastName: 'King Lovelace', locale: 'en' });
    const [fromAll] = (await store.readAll(head, 10)).filter((e) => e.streamId === stream);
    expect(fromAll!.data).toEqual(fromStream!.data);
    const [stored] = await readSql(orm).query<{ schema_version: number; data: unknown }>('select schema_version, data from es_events where stream_id = $1', [
      stream,
    ]);
    expect(stored).toEqual({ schema_version: 1, data: { contactId: 'c1', fullName: 'Ada King Lovelace' } });
  });

  it('upcasts from the middle of the chain, and writes new events at the current version untouched', async () => {
    const stream = `contact-${randomUUID()}`;
    await store.append(stream, [{ type: TYPE, data: { contactId: 'c2', firstName: 'Grace', lastName: 'Hopper' }, schemaVersion: 2 }], 'no_stream');
    await store.append(stream, [{ type: TYPE, data: { contactId: 'c3', firstName: 'Alan', lastName: 'Turing', locale: 'en-GB' } }], 1);
    const events = await store.readStream(stream);
    expect(events.map((e) => [e.schemaVersion, e.data])).toEqual([
      [3, { contactId: 'c2', firstName: 'Grace', lastName: 'Hopper', locale: 'en' }],
      [3, { contactId: 'c3', firstName: 'Alan', lastName: 'Turing', locale: 'en-GB' }],
    ]);
    const stored = await readSql(orm).query<{ schema_version: number }>('select schema_version from es_events where stream_id = $1 order by version', [stream]);
    expect(stored.map((r) => r.schema_version)).toEqual([2, 3]);
  });

  it('leaves types without upcasters alone', async () => {
    expect(currentSchemaVersion('TestNeverChanged')).toBe(1);
    expect(currentSchemaVersion(TYPE)).toBe(3);
    const e = {
      streamId: 's',
      type: 'TestNeverChanged',
      version: 1,
      globalPosition: 1,
      checkpoint: START,
      occurredAt: new Date(0),
      schemaVersion: 1,
      data: { a: 1 },
      metadata: {},
    };
    expect(upcast(e)).toBe(e);
  });
});
