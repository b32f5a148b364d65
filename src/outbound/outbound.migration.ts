import { Migration } from '@mikro-orm/migrations';

/**
 * `webhook_endpoints` is a projection (rebuilt from the endpoint streams). The other tables are the outbox:
 * work recorded by reactors from the event store (idempotently, keyed by the event) and carried out by the
 * senders, with its progress. They are not read models: a rebuild leaves them alone, so nothing is sent twice
 * because of a rebuild and nothing recorded is lost.
 */
export class OutboundMigration extends Migration {
  override name = '0062_outbound';
  override async up(): Promise<void> {
    this.addSql(`
      create table webhook_endpoints (
        id text primary key,
        company_id text not null,
        url text not null,
        events text[] not null,
        description text,
        secret_encrypted text not null,
        status text not null,
        disabled_at timestamptz,
        disabled_reason text,
        position bigint not null,
        created_at timestamptz not null
      )`);
    this.addSql('create index webhook_endpoints_company on webhook_endpoints (company_id, position)');
    this.addSql(`
      create table webhook_events (
        id text primary key,
        company_id text not null,
        type text not null,
        body text not null,
        created_at timestamptz not null
      )`);
    this.addSql(`
      create table webhook_deliveries (
        id text primary key,
        seq bigserial not null,
        company_id text not null,
        endpoint_id text not null,
        event_id text not null,
        type text not null,
        resource_key text not null,
        status text not null default 'pending',
        attempts integer not null default 0,
        last_status_code integer,
        last_error text,
        last_attempt_at timestamptz,
        last_duration_ms integer,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        succeeded_at timestamptz,
        created_at timestamptz not null,
        unique (endpoint_id, event_id)
      )`);
    this.addSql(`create index webhook_deliveries_due on webhook_deliveries (endpoint_id, next_attempt_at, seq) where status = 'pending'`);
    this.addSql(`create index webhook_deliveries_resource on webhook_deliveries (endpoint_id, resource_key, seq) where status = 'pending'`);
    this.addSql('create index webhook_deliveries_list on webhook_deliveries (endpoint_id, seq)');
    this.addSql(`
      create table mail_outbox (
        id text primary key,
        company_id text not null,
        kind text not null,
        recipient text not null,
        message_encrypted text not null,
        status text not null default 'pending',
        attempts integer not null default 0,
        last_error text,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        sent_at timestamptz,
        created_at timestamptz not null
      )`);
    this.addSql(`create index mail_outbox_due on mail_outbox (next_attempt_at) where status = 'pending'`);
    this.addSql('create index mail_outbox_company on mail_outbox (company_id, created_at)');
    this.addSql(`
      create table mail_digest_items (
        company_id text not null,
        day date not null,
        payment_id text not null,
        amount bigint not null,
        currency text not null,
        email text,
        paid_at timestamptz not null,
        primary key (company_id, day, payment_id)
      )`);
    this.addSql(`
      create table stripe_write_backs (
        company_id text not null,
        customer_id text not null,
        lead_id text not null,
        partner_id text not null,
        status text not null,
        idempotency_key text not null,
        attempts integer not null default 0,
        last_error text,
        seq bigserial not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (company_id, customer_id, lead_id)
      )`);
    this.addSql('create index stripe_write_backs_company on stripe_write_backs (company_id, seq)');
  }
}
