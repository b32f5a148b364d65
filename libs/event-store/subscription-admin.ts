import { IsolationLevel } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from './event-store.port.js';
import { UnknownProjection, type Projection, type SubscriptionStatus } from './subscriptions.js';
import type { Subscriber } from './subscriber.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { ReplayPacing } from './replay-pacing.js';
import type { RunnerSignals } from './runner-signals.js';
import { parkedEvents } from './parked-events.js';
import { checksumSettings, combineChecksums, tableChecksum } from './checksum.js';
import { inTransaction, readSql, sqlOf } from '../database/sql.js';

/** What the operator sees and does: subscribers' statuses, read models' checksums, rebuilds. */
export class SubscriptionAdmin {
  private readonly checksums = new Map<string, { key: string; value: string }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly subscribers: ReadonlyMap<string, Subscriber>,
    private readonly pacing: ReplayPacing,
    /** The subscribers whose loops run in this process. */
    private readonly looping: () => ReadonlySet<string>,
    private readonly signals: RunnerSignals,
    /** Wakes the loops, the leader's too when it is another process. */
    private readonly nudge: () => void,
  ) {}

  /** Status of every subscriber; `checksum: false` skips hashing the read models, `'fresh'` ignores cached hashes. */
  async status(opts: { names?: string[]; checksum?: boolean | 'fresh' } = {}): Promise<SubscriptionStatus[]> {
    const rows = await this.checkpoints.rows(opts.names ?? [...this.subscribers.keys()]);
    const parked = await parkedEvents.summary(
      readSql(this.orm),
      rows.map((r) => r.name),
    );
    const lags = new Map<string, Promise<number>>();
    const lag = (cp: string) => lags.get(cp) ?? lags.set(cp, this.store.countAfter(cp)).get(cp)!;
    return Promise.all(
      rows
        .filter((r) => this.subscribers.has(r.name))
        .map(async (r) => {
          const s = this.subscribers.get(r.name)!;
          const open = parked.get(r.name);
          return {
            name: r.name,
            kind: s.kind,
            // events are parked, or the loop cannot read or write: the subscriber goes on, but its work is incomplete
            status: r.status === 'rebuilding' ? r.status : open || r.last_error ? 'failed' : 'running',
            position: Number(r.global_position),
            checkpoint: r.checkpoint,
            lag: await lag(r.checkpoint),
            checksum: s.kind === 'projection' && opts.checksum !== false ? await this.checksum(s.p, opts.checksum === 'fresh') : null,
            lastError: r.last_error ?? open?.lastError ?? null,
            parked: open?.open ?? 0,
          };
        }),
    );
  }

  /**
   * Order-independent hash of a projection's rows. Read in one snapshot with the projection's
   * checkpoint row, and cached until that row changes (every batch and every rebuild touch it);
   * `fresh` hashes again, for rows changed behind the projection's back.
   */
  async checksum(p: Projection, fresh = false): Promise<string> {
    return this.orm.em.fork().transactional(
      async (em) => {
        const sql = sqlOf(em);
        const row = await this.checkpoints.get(p.name, sql);
        const key = row ? `${row.checkpoint}@${new Date(row.updated_at).getTime()}` : '';
        const cached = this.checksums.get(p.name);
        if (row && !fresh && cached?.key === key) return cached.value;
        for (const setting of checksumSettings) await sql.query(setting);
        const parts: string[] = [];
        for (const table of p.tables) parts.push(await tableChecksum(sql, table));
        const value = combineChecksums(parts);
        if (row) this.checksums.set(p.name, { key, value });
        return value;
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /** Truncates the read models and replays them from the first event; all named reset together or none. */
  async rebuild(names: string[]): Promise<void> {
    const unique = [...new Set(names)].sort();
    const unknown = unique.filter((n) => this.subscribers.get(n)?.kind !== 'projection');
    if (unknown.length) throw new UnknownProjection(unknown);
    const tables = unique.flatMap((n) => (this.subscribers.get(n) as { p: Projection }).p.tables);
    await this.checkpoints.ensure(unique);
    await inTransaction(this.orm, async (sql) => {
      await this.checkpoints.lock(unique, sql);
      if (tables.length) await sql.query(`truncate ${tables.join(', ')}`);
      await parkedEvents.forget(sql, unique);
      await this.checkpoints.resetForRebuild(unique, sql);
    });
    // the projections replayed here start paced together from the first page
    for (const name of unique) {
      if (this.looping().has(name)) this.pacing.start(name);
      else this.pacing.end(name);
    }
    this.nudge();
  }

  /** Resolves when none of `names` is rebuilding any more (caught up, or failed), with their statuses. */
  async whenRebuilt(names: string[], timeoutMs = Number.POSITIVE_INFINITY): Promise<SubscriptionStatus[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.checkpoints.positions(names);
      if (rows.every((r) => r.status !== 'rebuilding')) return this.status({ names, checksum: false });
      if (Date.now() > deadline) throw new Error(`rebuild of ${names.join(', ')} did not finish within ${timeoutMs} ms`);
      await this.signals.nextProgress(20);
    }
  }
}
