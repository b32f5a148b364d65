import pg from 'pg';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { RunningApp } from '../../src/bootstrap.js';
import { readSql } from '../../libs/database/sql.js';

/**
 * Waits until every projection and reactor has processed the store's head and the head stopped
 * moving (reactors append follow-up events), so a later event count is the effect of one request only.
 * The head only shows events below the oldest open transaction, so it also waits until no committed
 * event is hidden behind one (a projection batch, a checksum read).
 */
export async function quiesce(app: RunningApp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const sql = readSql(app.orm);
  const hidden = async () =>
    (await sql.query<{ n: number }>('select count(*)::int as n from es_events where transaction_id >= pg_snapshot_xmin(pg_current_snapshot())'))[0]!.n;
  for (;;) {
    await app.runner.whenRebuilt(app.runner.projectionNames(), Math.max(deadline - Date.now(), 1));
    const head = await app.store.head();
    const caughtUp = (await hidden()) === 0 && (await app.runner.waitFor(head.checkpoint, Math.max(deadline - Date.now(), 1), app.runner.names));
    const again = await app.store.head();
    if (caughtUp && again.checkpoint === head.checkpoint && (await hidden()) === 0) return;
    if (Date.now() > deadline) throw new Error(`subscriptions did not settle within ${timeoutMs} ms (head ${again.checkpoint})`);
    await new Promise((ok) => setTimeout(ok, 5));
  }
}

/** Stops the app's cron jobs and intervals, so only the requests under test append events. */
export function stopScheduledJobs(app: RunningApp): void {
  const registry = app.app.get(SchedulerRegistry);
  for (const job of registry.getCronJobs().values()) void job.stop();
  for (const name of registry.getIntervals()) registry.deleteInterval(name);
  for (const name of registry.getTimeouts()) registry.deleteTimeout(name);
}

/** `select count(*) from es_events` on the app's database: the measure of "nothing stored". */
export function eventCounter(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    count: async () => Number((await pool.query('select count(*)::bigint as n from es_events')).rows[0].n),
    /** Subscriptions that could not process an event: parked events (open), or pages failing as a whole. */
    failed: async () =>
      (
        await pool.query(`select name, last_error from es_checkpoints where status = 'failed' or last_error is not null
                         union all select subscriber, error from es_parked_events where status not in ('resolved', 'skipped')`)
      ).rows as { name: string; last_error: string }[],
    query: <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => pool.query<R>(text, params).then((r) => r.rows),
    close: () => pool.end(),
  };
}
