import type { MikroORM } from '@mikro-orm/postgresql';
import { compareCheckpoints, START, type RecordedEvent } from './event-store.port.js';
import type { SubscriptionStatus } from './subscriptions.js';
import { readSql, type Sql } from '../database/sql.js';

/** Where a subscriber (projection or reactor) is in the log, and whether it is rebuilding. */
export interface CheckpointPosition {
  name: string;
  checkpoint: string;
  status: SubscriptionStatus['status'];
}

/** A subscriber's whole row. */
export interface SubscriberCheckpoint extends CheckpointPosition {
  global_position: string;
  last_error: string | null;
  updated_at: Date;
}

/**
 * Whether every one of `names` has processed `checkpoint`, or is failed (its parked events are the operator's to settle):
 * what a reader of read models waits for.
 */
export function allReached(positions: readonly CheckpointPosition[], names: readonly string[], checkpoint: string): boolean {
  return positions.length === names.length && positions.every((p) => p.status === 'failed' || compareCheckpoints(p.checkpoint, checkpoint) >= 0);
}

/**
 * The subscribers' checkpoints (`es_checkpoints`): the only code that reads or writes them. Methods given `sql` run in
 * that transaction (a projection's page commits its writes and its checkpoint together).
 */
export class CheckpointStore {
  constructor(private readonly orm: MikroORM) {}

  private sql(tx?: Sql): Sql {
    return tx ?? readSql(this.orm);
  }

  /** Rows for subscribers that have none, at the start of the log. */
  async ensure(names: readonly string[]): Promise<void> {
    await this.sql().query('insert into es_checkpoints (name) select unnest($1::text[]) on conflict (name) do nothing', [names]);
  }

  /**
   * A subscriber stopped at a failing event by an earlier version resumes there (the event is parked if it fails again);
   * a page error of a process gone is forgotten until it happens again.
   */
  async clearFailures(): Promise<void> {
    await this.sql().query(
      `update es_checkpoints set status = case status when 'failed' then 'running' else status end, last_error = null, failed_checkpoint = null where status = 'failed' or last_error is not null`,
    );
  }

  /** Where each of `names` is, by name; looked at once, waking no one. */
  async positions(names: readonly string[]): Promise<CheckpointPosition[]> {
    return this.sql().query<CheckpointPosition>('select name, checkpoint, status from es_checkpoints where name = any($1) order by name', [names]);
  }

  /** The whole rows of `names`, by name. */
  async rows(names: readonly string[]): Promise<SubscriberCheckpoint[]> {
    return this.sql().query<SubscriberCheckpoint>('select * from es_checkpoints where name = any($1) order by name', [names]);
  }

  /** One subscriber's row; `forUpdate` (in `tx`) holds it until the transaction ends. */
  async get(name: string, tx?: Sql, forUpdate = false): Promise<SubscriberCheckpoint | undefined> {
    const [row] = await this.sql(tx).query<SubscriberCheckpoint>(`select * from es_checkpoints where name = $1${forUpdate ? ' for update' : ''}`, [name]);
    return row;
  }

  /** Moves the checkpoint to `event`. */
  async save(name: string, event: RecordedEvent, tx?: Sql): Promise<void> {
    await this.sql(tx).query('update es_checkpoints set checkpoint = $2, global_position = $3, updated_at = clock_timestamp() where name = $1', [
      name,
      event.checkpoint,
      event.globalPosition,
    ]);
  }

  /** Compare-and-set: moves a running subscriber from `from` to `event`; false when a rebuild or retry changed the row in between. */
  async advance(name: string, from: string, event: RecordedEvent): Promise<boolean> {
    const moved = await this.sql().query<{ name: string }>(
      `update es_checkpoints set checkpoint = $3, global_position = $4, updated_at = clock_timestamp() where name = $1 and checkpoint = $2 and status = 'running' returning name`,
      [name, from, event.checkpoint, event.globalPosition],
    );
    return moved.length > 0;
  }

  /** A rebuilt projection caught up. */
  async markRunning(name: string, tx?: Sql): Promise<void> {
    await this.sql(tx).query(`update es_checkpoints set status = 'running' where name = $1`, [name]);
  }

  /** The page error shown as the subscriber's lastError while it lasts (null: gone). */
  async setLastError(name: string, message: string | null): Promise<void> {
    await this.sql().query('update es_checkpoints set last_error = $2 where name = $1', [name, message]);
  }

  /** Locks the rows of `names` (in `tx`, in name order), for a rebuild that resets them together. */
  async lock(names: readonly string[], tx: Sql): Promise<void> {
    await tx.query('select name from es_checkpoints where name = any($1) order by name for update', [names]);
  }

  /** Back to the start of the log, rebuilding. */
  async resetForRebuild(names: readonly string[], tx: Sql): Promise<void> {
    await tx.query(
      `update es_checkpoints set checkpoint = $2, global_position = 0, status = 'rebuilding', last_error = null, updated_at = clock_timestamp() where name = any($1)`,
      [names, START],
    );
  }
}
