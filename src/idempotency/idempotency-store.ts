import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../libs/database/sql.js';
import { decryptSecret, encryptSecret } from '../../libs/crypto/secrets.js';
import type { AppConfig } from '../../libs/config/config.js';
import { CONFIG, ORM } from '../core/tokens.js';

/** How long a first answer is kept and replayed (Stripe: keys are pruned once at least 24 h old). */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** A running request holds its key this long and renews it every third of it: a process that dies frees its keys within this. */
export const LEASE_MS = 30_000;

/** The answer replayed for a key: status, the headers that belong to it, the body as sent. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The request running under a key; only its holder may answer or release it. */
export interface Lease {
  scope: string;
  keyHash: string;
  id: string;
}

export type Claim = { kind: 'run'; lease: Lease } | { kind: 'replay'; answer: StoredAnswer } | { kind: 'mismatch' } | { kind: 'in_use' };

/** `idempotency_keys` (idempotency.migration.ts): claims are single statements, so any number of processes share keys. */
@Injectable()
export class IdempotencyStore {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The key is claimed for this request when it is new, expired, or held by a request whose lease ran out (a crashed
   * process) with the same fingerprint; otherwise the existing row decides: another request's fingerprint is a
   * mismatch, an answer is replayed, a live lease means the first request still runs.
   */
  async claim(scope: string, keyHash: string, fingerprint: string): Promise<Claim> {
    const sql = readSql(this.orm);
    for (let attempt = 0; attempt < 3; attempt++) {
      const leaseId = randomUUID();
      const [won] = await sql.query<{ lease_id: string }>(
        `insert into idempotency_keys as k (scope, key_hash, fingerprint, lease_id, locked_until, created_at, expires_at)
         values ($1, $2, $3, $4, now() + $5 * interval '1 millisecond', now(), now() + $6 * interval '1 millisecond')
         on conflict (scope, key_hash) do update
           set fingerprint = excluded.fingerprint, lease_id = excluded.lease_id, locked_until = excluded.locked_until,
               status = null, answer_encrypted = null, created_at = excluded.created_at, expires_at = excluded.expires_at
           where k.expires_at <= now()
              or (k.status is null and k.locked_until <= now() and k.fingerprint = excluded.fingerprint)
         returning lease_id`,
        [scope, keyHash, fingerprint, leaseId, LEASE_MS, KEY_TTL_MS],
      );
      if (won?.lease_id === leaseId) return { kind: 'run', lease: { scope, keyHash, id: leaseId } };
      const [row] = await sql.query<{ fingerprint: string; status: number | null; answer_encrypted: string | null }>(
        'select fingerprint, status, answer_encrypted from idempotency_keys where scope = $1 and key_hash = $2 and expires_at > now()',
        [scope, keyHash],
      );
      if (!row) continue; // expired or purged in between: claim again
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.status !== null && row.answer_encrypted !== null)
        return { kind: 'replay', answer: JSON.parse(decryptSecret(row.answer_encrypted, this.config.encryptionKey)) as StoredAnswer };
      return { kind: 'in_use' };
    }
    return { kind: 'in_use' };
  }

  /** Keeps the lease of a request that still runs. */
  async renew(lease: Lease): Promise<void> {
    await readSql(this.orm).query(
      `update idempotency_keys set locked_until = now() + $4 * interval '1 millisecond' where scope = $1 and key_hash = $2 and lease_id = $3`,
      [lease.scope, lease.keyHash, lease.id, LEASE_MS],
    );
  }

  /** Stores the first answer for replay; false when the lease was lost meanwhile (another request took the key over). */
  async answer(lease: Lease, answer: StoredAnswer): Promise<boolean> {
    const rows = await readSql(this.orm).query(
      `update idempotency_keys set status = $4, answer_encrypted = $5, lease_id = null, locked_until = null
       where scope = $1 and key_hash = $2 and lease_id = $3 returning 1`,
      [lease.scope, lease.keyHash, lease.id, answer.status, encryptSecret(JSON.stringify(answer), this.config.encryptionKey)],
    );
    return rows.length === 1;
  }

  /** Forgets a key whose request ended without an answer worth keeping, so a retry runs again. */
  async release(lease: Lease): Promise<void> {
    await readSql(this.orm).query('delete from idempotency_keys where scope = $1 and key_hash = $2 and lease_id = $3', [lease.scope, lease.keyHash, lease.id]);
  }

  /** Deletes expired keys; answers how many. */
  async purgeExpired(): Promise<number> {
    const rows = await readSql(this.orm).query('delete from idempotency_keys where expires_at <= now() returning 1');
    return rows.length;
  }
}
