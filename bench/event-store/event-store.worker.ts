import pg from 'pg';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore } from '../../libs/event-store/postgres/postgres-event-store.js';
import { eventStoreMigrations } from '../../libs/event-store/postgres/event-store.migration.js';
import { START } from '../../libs/event-store/event-store.port.js';
import { openOrm } from '../../libs/database/orm.js';
import { workerMain } from '../support/child.js';
import { elapsedMs, inParallel } from '../support/stats.js';
import { paymentRecordedData } from '../support/payloads.js';

export type Contender = 'partnerflow' | 'bare-pg' | 'emmett';
export type Slice = { ms: number; latencies: number[] };

const COMPANY = 'co_bench';
const events = (i: number, n: number) => Array.from({ length: n }, (_, k) => ({ type: 'PaymentRecorded', data: paymentRecordedData(COMPANY, i * 1000 + k) }));
const stream = (i: number) => `payment-${COMPANY}-${i}`;

type Appender = (i: number, events: number) => Promise<void>;
let append: Appender;
let concurrency = 1;
let url = '';

async function open(input: { contender: Contender; url: string; concurrency: number }): Promise<void> {
  ({ url, concurrency } = input);
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  if (input.contender === 'partnerflow') {
    const orm = await openOrm(url, eventStoreMigrations, 1);
    await orm.close();
    const store = new PostgresEventStore(pool);
    append = async (i, n) => void (await store.append(stream(i), events(i, n), 'no_stream'));
  } else if (input.contender === 'emmett') {
    const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
    await store.schema.migrate();
    append = async (i, n) => void (await store.appendToStream(stream(i), events(i, n), { expectedStreamVersion: 0n }));
  } else {
    await pool.query(`create table bare_events (
      global_position bigserial primary key, stream_id text not null, version integer not null, type text not null,
      data jsonb not null, metadata jsonb not null default '{}', occurred_at timestamptz not null default now(), unique (stream_id, version))`);
    append = async (i) => {
      const [e] = events(i, 1);
      await pool.query('insert into bare_events (stream_id, version, type, data, metadata) values ($1, 1, $2, $3, $4)', [
        stream(i),
        e!.type,
        JSON.stringify(e!.data),
        '{}',
      ]);
    };
  }
  for (let i = 0; i < 100; i++) await append(-1 - i, 1); // warm connections and plans
}

/** `count` appends of `size` events, each to a new stream, `concurrency` at a time. */
async function appendSlice(args: { from: number; count: number; size: number }): Promise<Slice> {
  return inParallel(args.count, concurrency, (i) => append(args.from + i, args.size));
}

/** readAll in pages of 1,000 (the runner's access path), then one plain SELECT of the same rows. */
async function read(): Promise<{ events: number; readMs: number; selectMs: number }> {
  const store = PostgresEventStore.connect(url, 2);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await store.readAll(START, 1000); // warm
    let checkpoint = START;
    let events = 0;
    const t1 = process.hrtime.bigint();
    for (;;) {
      const page = await store.readAll(checkpoint, 1000);
      if (page.length === 0) break;
      events += page.length;
      checkpoint = page[page.length - 1]!.checkpoint;
    }
    const readMs = elapsedMs(t1);
    const t2 = process.hrtime.bigint();
    await client.query(
      'select global_position, transaction_id, stream_id, version, type, schema_version, data, metadata, occurred_at from es_events order by global_position',
    );
    return { events, readMs, selectMs: elapsedMs(t2) };
  } finally {
    await client.end();
    await store.close();
  }
}

workerMain({ open, appendSlice, read });
