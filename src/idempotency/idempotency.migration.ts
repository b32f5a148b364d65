import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys of the API's POST requests (Stripe's convention): one row per caller and key, holding the
 * request's fingerprint, the lease of the request running it and, once answered, its answer (encrypted: a
 * first answer may carry a one-time API key or signing secret). Not business history: plain rows that the
 * purge job deletes once expired; a rebuild of the read models leaves them alone.
 */
export class IdempotencyMigration extends Migration {
  override name = '0090_idempotency_keys';
  override async up(): Promise<void> {
    this.addSql(`
      create table idempotency_keys (
        scope text not null,
        key_hash text not null,
        fingerprint text not null,
        lease_id uuid,
        locked_until timestamptz,
        status smallint,
        answer_encrypted text,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        primary key (scope, key_hash)
      )`);
    this.addSql('create index idempotency_keys_expiry on idempotency_keys (expires_at)');
  }
}
