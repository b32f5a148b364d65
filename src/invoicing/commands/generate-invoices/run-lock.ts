import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { inTransaction } from '../../../../libs/database/sql.js';
import { ORM } from '../../../core/tokens.js';

const NAMESPACE = 4_242_006;

/**
 * One invoice run per company at a time: serialized in this process, and across processes by a transaction-level
 * Postgres advisory lock held for the run (a lease: a crashed process's connection closes and releases it).
 * The event-store guards keep runs correct without it; the lock only spares them from conflicting.
 */
@Injectable()
export class RunLock {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** `wait: false` gives up (undefined) when another process holds the lock. */
  async with<T>(key: string, wait: boolean, fn: () => Promise<T>): Promise<T | undefined> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const tail = previous.then(() => new Promise<void>((ok) => (done = ok)));
    this.tails.set(key, tail);
    await previous;
    try {
      return await inTransaction(this.orm, async (sql) => {
        if (wait) {
          await sql.query(`set local lock_timeout = '120s'`);
          await sql.query('select pg_advisory_xact_lock($1, hashtext($2))', [NAMESPACE, key]);
        } else {
          const [row] = await sql.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, hashtext($2)) as ok', [NAMESPACE, key]);
          if (!row!.ok) return undefined;
        }
        return fn();
      });
    } finally {
      done();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
