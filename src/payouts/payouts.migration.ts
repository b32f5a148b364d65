import { Migration } from '@mikro-orm/migrations';

export class PayoutsMigration extends Migration {
  override name = '0040_payouts';
  override async up(): Promise<void> {
    this.addSql(`
      create table company_payment_methods (
        company_id text primary key,
        customer_id text,
        payment_method_id text,
        brand text,
        last4 text,
        position bigint not null
      )`);
    this.addSql(`
      create table payout_attempts (
        company_id text not null,
        invoice_id text not null,
        attempt int not null,
        partner_id text not null,
        idempotency_key text not null,
        amount bigint not null,
        currency text not null,
        status text not null,
        payment_intent_id text,
        failure_reason text,
        started_at timestamptz not null,
        position bigint not null,
        primary key (company_id, invoice_id, attempt)
      )`);
    this.addSql(`create index payout_attempts_open on payout_attempts (started_at) where status in ('sending', 'intent_created')`);
  }
}
