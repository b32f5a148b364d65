import pg from 'pg';
import { compareCheckpoints } from '../../libs/event-store/event-store.port.js';
import { loadConfig } from '../../libs/config/config.js';
import { createLogger } from '../../libs/logging/logger.js';
import { startApp } from '../../src/bootstrap.js';
import { workerMain } from '../support/child.js';
import { elapsedMs } from '../support/stats.js';
import { generateEvents } from './generate-events.js';

export interface ReplayOutput {
  events: number;
  generateMs: number;
  projections: string[];
  /** null when the rebuild did not finish within the timeout. */
  rebuildMs: number | null;
  /** Events the slowest projection had replayed when the rebuild finished or timed out. */
  replayed: number;
  failed: string[];
  rawReadMs: number;
}

/**
 * The app (projections only, no reactors, no HTTP load) on a database holding the generated events:
 * projections start idle at the head, then `runner.rebuild()` truncates and replays them all; timed
 * until every projection is back at the head. Then a raw sequential read of the same table.
 */
async function replay(input: { databaseUrl: string; events: number; timeoutSeconds: number }): Promise<ReplayOutput> {
  const config = loadConfig({ PORT: '0', DATABASE_URL: input.databaseUrl, BACKGROUND_JOBS: 'off', ENCRYPTION_KEY: 'b'.repeat(64) }, { serving: false });
  const app = await startApp(config, createLogger('warn'));
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  try {
    const t0 = process.hrtime.bigint();
    const events = await generateEvents(input.databaseUrl, input.events);
    const generateMs = elapsedMs(t0);
    const projections = app.runner.projectionNames();
    const head = await app.store.head();
    await client.query(
      `insert into es_checkpoints (name, checkpoint, global_position) select unnest($1::text[]), $2, $3
       on conflict (name) do update set checkpoint = excluded.checkpoint, global_position = excluded.global_position, status = 'running'`,
      [projections, head.checkpoint, head.globalPosition],
    );
    await app.runner.start({ kinds: ['projection'] });
    const t1 = process.hrtime.bigint();
    await app.runner.rebuild();
    const done = await waitRebuilt(client, projections, head.checkpoint, input.timeoutSeconds * 1000);
    const rebuildMs = done ? elapsedMs(t1) : null;
    const replayed = await slowestPosition(client, projections);
    const { rows } = await client.query<{ line: string }>(
      `select name || ': ' || coalesce(last_error, '') as line from es_checkpoints where status = 'failed' and name = any($1)`,
      [projections],
    );
    await app.runner.stop();
    return { events, generateMs, projections, rebuildMs, replayed, failed: rows.map((r) => r.line.slice(0, 200)), rawReadMs: await rawRead(input.databaseUrl) };
  } finally {
    await client.end();
    await app.close();
  }
}

async function waitRebuilt(client: pg.Client, names: string[], head: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await client.query<{ checkpoint: string; status: string }>('select checkpoint, status from es_checkpoints where name = any($1)', [names]);
    if (rows.every((r) => r.status === 'failed' || (r.status === 'running' && compareCheckpoints(r.checkpoint, head) >= 0))) return true;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  return false;
}

/** How many events the slowest projection has passed. */
async function slowestPosition(client: pg.Client, names: string[]): Promise<number> {
  const { rows } = await client.query<{ checkpoint: string }>('select checkpoint from es_checkpoints where name = any($1)', [names]);
  const slowest = rows.map((r) => r.checkpoint).sort(compareCheckpoints)[0] ?? '0/0';
  const [tx, pos] = slowest.split('/');
  const { rows: n } = await client.query<{ n: number }>(
    'select count(*)::int as n from es_events where (transaction_id, global_position) <= ($1::xid8, $2::bigint)',
    [tx, pos],
  );
  return n[0]!.n;
}

/** The floor: every row of es_events in commit order, in keyset pages of 10,000, parsed by pg like readAll's are. */
async function rawRead(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const t = process.hrtime.bigint();
    let tx = '0';
    let pos = '0';
    for (;;) {
      const { rows } = await client.query<{ transaction_id: string; global_position: string }>(
        `select global_position, transaction_id, stream_id, version, type, schema_version, data, metadata, occurred_at from es_events
         where (transaction_id, global_position) > ($1::xid8, $2::bigint) order by transaction_id, global_position limit 10000`,
        [tx, pos],
      );
      if (rows.length === 0) break;
      ({ transaction_id: tx, global_position: pos } = rows[rows.length - 1]!);
    }
    return elapsedMs(t);
  } finally {
    await client.end();
  }
}

workerMain({ replay });
