import { EventEmitter } from 'node:events';
import type { MikroORM } from '@mikro-orm/postgresql';
import { compareCheckpoints, START, type EventStore, type RecordedEvent } from './event-store.port.js';
import type { Projection, Reactor, SubscriptionStatus } from './subscriptions.js';
import { inTransaction, readSql, type Sql } from '../database/sql.js';
import type { LeaderLock } from './leader-lock.js';
import type { Logger } from '../logging/logger.js';

type Subscriber = { kind: 'projection'; p: Projection } | { kind: 'reactor'; r: Reactor };
type CheckpointRow = { name: string; checkpoint: string; global_position: string; status: string; last_error: string | null };

export interface RunnerOptions {
  batchSize?: number;
  pollMs?: number;
  /** Called with each batch's size and duration, for progress reporting. */
  onBatch?: (name: string, events: number, last: RecordedEvent) => void;
}

/**
 * Runs projections and reactors from the event store in global order.
 * Only the process holding the leader lock runs them; the others serve reads and wait.
 */
export class SubscriptionRunner {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly positions = new Map<string, string>();
  private readonly wake = new EventEmitter();
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly batchSize: number;
  private readonly pollMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly orm: MikroORM,
    private readonly leader: LeaderLock,
    private readonly log: Logger,
    private readonly opts: RunnerOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 500;
    this.pollMs = opts.pollMs ?? 200;
    this.wake.setMaxListeners(0);
  }

  addProjection(p: Projection): void {
    this.subscribers.set(p.name, { kind: 'projection', p });
  }

  addReactor(r: Reactor): void {
    this.subscribers.set(r.name, { kind: 'reactor', r });
  }

  get names(): string[] {
    return [...this.subscribers.keys()];
  }

  async start(): Promise<void> {
    const sql = readSql(this.orm);
    for (const name of this.subscribers.keys()) {
      await sql.query('insert into es_checkpoints (name) values ($1) on conflict (name) do nothing', [name]);
    }
    this.running = true;
    this.loops = [...this.subscribers.entries()].map(([name, s]) => this.loop(name, s));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.emit('wake');
    await Promise.all(this.loops);
    await this.leader.release();
  }

  /** Wake the loops now instead of at the next poll: called after a local append. */
  nudge(): void {
    this.wake.emit('wake');
  }

  /** Resolves once every healthy subscriber has processed `checkpoint` (read-your-writes for the API). */
  async waitFor(checkpoint: string, timeoutMs = 10_000, names: string[] = this.projectionNames()): Promise<boolean> {
    this.nudge();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const rows = await readSql(this.orm).query<CheckpointRow>('select name, checkpoint, status from es_checkpoints where name = any($1)', [names]);
      if (rows.every((r) => r.status === 'failed' || compareCheckpoints(r.checkpoint, checkpoint) >= 0)) return true;
      await new Promise((ok) => setTimeout(ok, this.leader.held ? 2 : 15));
    }
    return false;
  }

  async status(): Promise<SubscriptionStatus[]> {
    const rows = await readSql(this.orm).query<CheckpointRow>('select * from es_checkpoints where name = any($1) order by name', [this.names]);
    return Promise.all(
      rows.map(async (r) => {
        const s = this.subscribers.get(r.name)!;
        return {
          name: r.name,
          kind: s.kind,
          status: r.status as SubscriptionStatus['status'],
          position: Number(r.global_position),
          checkpoint: r.checkpoint,
          lag: await this.store.countAfter(r.checkpoint),
          checksum: s.kind === 'projection' ? await this.checksum(s.p) : null,
          lastError: r.last_error,
        };
      }),
    );
  }

  /** Stable hash of a projection's rows, independent of physical row order. */
  async checksum(p: Projection): Promise<string> {
    const sql = readSql(this.orm);
    const parts: string[] = [];
    for (const table of p.tables) {
      const [row] = await sql.query<{ h: string | null }>(`select md5(coalesce(string_agg(h, '' order by h), '')) as h from (select md5(t::text) as h from ${table} t) x`);
      parts.push(`${table}:${row!.h}`);
    }
    const [row] = await sql.query<{ h: string }>('select md5($1) as h', [parts.join('|')]);
    return row!.h;
  }

  /** Truncate the read models and replay them from the first event. */
  async rebuild(names: string[] = this.projectionNames()): Promise<void> {
    for (const name of names) {
      const s = this.subscribers.get(name);
      if (s?.kind !== 'projection') throw new Error(`${name} is not a projection`);
      await inTransaction(this.orm, async (sql) => {
        await sql.query('select 1 from es_checkpoints where name = $1 for update', [name]);
        if (s.p.tables.length) await sql.query(`truncate ${s.p.tables.join(', ')}`);
        await sql.query(
          `update es_checkpoints set checkpoint = $2, global_position = 0, status = 'rebuilding', last_error = null, failed_checkpoint = null, updated_at = now() where name = $1`,
          [name, START],
        );
      });
    }
    this.nudge();
  }

  projectionNames(): string[] {
    return [...this.subscribers.entries()].filter(([, s]) => s.kind === 'projection').map(([n]) => n);
  }

  private async loop(name: string, s: Subscriber): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.leader.acquire())) {
          await this.sleep();
          continue;
        }
        const processed = s.kind === 'projection' ? await this.projectBatch(name, s.p) : await this.reactBatch(name, s.r);
        if (processed === 0) await this.sleep();
      } catch (e) {
        this.log.error({ subscription: name, err: e }, 'subscription loop error');
        await this.sleep();
      }
    }
  }

  private async projectBatch(name: string, p: Projection): Promise<number> {
    let status = 'running';
    let count = 0;
    let failed: { event: RecordedEvent; error: unknown } | undefined;
    await inTransaction(this.orm, async (sql) => {
      const [row] = await sql.query<CheckpointRow>('select * from es_checkpoints where name = $1 for update', [name]);
      if (!row || row.status === 'failed') return;
      status = row.status;
      const events = await this.store.readAll(row.checkpoint, this.batchSize);
      if (events.length === 0) {
        if (status === 'rebuilding') await sql.query(`update es_checkpoints set status = 'running' where name = $1`, [name]);
        return;
      }
      let last: RecordedEvent | undefined;
      for (const event of events) {
        try {
          await sql.query('savepoint apply');
          await p.apply(event, sql);
          await sql.query('release savepoint apply');
        } catch (error) {
          await sql.query('rollback to savepoint apply');
          failed = { event, error };
          break;
        }
        last = event;
        count++;
      }
      if (last) await this.saveCheckpoint(sql, name, last);
      if (failed) await this.markFailed(sql, name, failed.event, failed.error);
      if (last) this.opts.onBatch?.(name, count, last);
    });
    if (failed) this.log.error({ subscription: name, event: failed.event.globalPosition, err: failed.error }, 'projection stopped at a failing event');
    this.wake.emit('progress');
    return count;
  }

  private async reactBatch(name: string, r: Reactor): Promise<number> {
    const sql = readSql(this.orm);
    const [row] = await sql.query<CheckpointRow>('select * from es_checkpoints where name = $1', [name]);
    if (!row || row.status === 'failed') return 0;
    const events = await this.store.readAll(row.checkpoint, this.batchSize);
    let done = 0;
    for (const event of events) {
      const error = await this.reactWithRetry(r, event);
      if (error) {
        await this.markFailed(sql, name, event, error);
        this.log.error({ subscription: name, event: event.globalPosition, err: error }, 'reactor stopped at a failing event');
        break;
      }
      await this.saveCheckpoint(sql, name, event);
      done++;
    }
    return done;
  }

  private async reactWithRetry(r: Reactor, event: RecordedEvent): Promise<unknown> {
    let error: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await r.react(event);
        return undefined;
      } catch (e) {
        error = e;
        await new Promise((ok) => setTimeout(ok, 20 * 2 ** attempt));
      }
    }
    return error;
  }

  private async saveCheckpoint(sql: Sql, name: string, event: RecordedEvent): Promise<void> {
    await sql.query('update es_checkpoints set checkpoint = $2, global_position = $3, updated_at = now() where name = $1', [name, event.checkpoint, event.globalPosition]);
    this.positions.set(name, event.checkpoint);
  }

  private async markFailed(sql: Sql, name: string, event: RecordedEvent, error: unknown): Promise<void> {
    const message = `event ${event.globalPosition} (${event.type} in ${event.streamId}): ${error instanceof Error ? error.message : String(error)}`;
    await sql.query(`update es_checkpoints set status = 'failed', last_error = $2, failed_checkpoint = $3, updated_at = now() where name = $1`, [name, message, event.checkpoint]);
  }

  /** Clear a failure so the subscriber retries the event it stopped at. */
  async retry(name: string): Promise<void> {
    await readSql(this.orm).query(`update es_checkpoints set status = 'running', last_error = null, failed_checkpoint = null where name = $1`, [name]);
    this.nudge();
  }

  private sleep(): Promise<void> {
    return new Promise((ok) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off('wake', done);
        ok();
      };
      const timer = setTimeout(done, this.pollMs);
      this.wake.on('wake', done);
    });
  }
}
