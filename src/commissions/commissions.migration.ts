import { Migration } from '@mikro-orm/migrations';

export class CommissionsMigration extends Migration {
  override name = '0021_commissions';
  override async up(): Promise<void> {
    this.addSql(`
      create table commissions (
        id text primary key,
        company_id text not null,
        partner_id text not null,
        lead_id text not null,
        payment_id text not null,
        kind text not null,
        amount bigint not null,
        earned bigint not null,
        reversed_total bigint not null default 0,
        currency text not null,
        status text not null,
        paid_at timestamptz not null,
        payable_at timestamptz not null,
        invoice_id text,
        plan jsonb,
        plan_source text,
        reverses_commission_id text,
        version integer not null,
        position bigint not null,
        created_at timestamptz not null
      )`);
    this.addSql('create index commissions_company on commissions (company_id, position)');
    this.addSql('create index commissions_partner on commissions (company_id, partner_id, position)');
    this.addSql(`create index commissions_open on commissions (company_id, payable_at) where invoice_id is null and status in ('pending', 'payable')`);
    this.addSql(`create index commissions_pending on commissions (payable_at) where status = 'pending'`);
    this.addSql('create index commissions_invoice on commissions (invoice_id) where invoice_id is not null');
    this.addSql(`
      create table payables_guards (
        company_id text primary key,
        version integer not null,
        invoices integer not null default 0
      )`);
    this.addSql(`
      create table invoice_periods (
        invoice_id text primary key,
        company_id text not null,
        partner_id text not null,
        period_end date not null,
        live boolean not null
      )`);
    this.addSql('create index invoice_periods_live on invoice_periods (company_id, period_end, partner_id) where live');
    this.addSql(`
      create table ledger_entries (
        position bigint not null,
        seq integer not null,
        tx text not null,
        company_id text not null,
        partner_id text not null,
        account text not null,
        currency text not null,
        amount bigint not null,
        effective_at timestamptz not null,
        commission_id text,
        invoice_id text,
        primary key (position, seq)
      )`);
    this.addSql('create index ledger_entries_partner on ledger_entries (company_id, partner_id, effective_at)');
    this.addSql('create index ledger_entries_invoice on ledger_entries (invoice_id) where invoice_id is not null');
  }
}

/** Commission review and fraud flags (SPEC §11): `review` is the mode it was earned under (null before review existed). */
export class CommissionReviewMigration extends Migration {
  override name = '0101_commission_review';
  override async up(): Promise<void> {
    this.addSql(
      `alter table commissions add column flags jsonb not null default '[]', add column review text, add column decline_reason text, add column reviewed_at timestamptz`,
    );
    this.addSql(`create index commissions_review on commissions (company_id, position) where status = 'pending_review'`);
  }
}

/**
 * A reduction in flight: the refund's `PayablesChanged` (the reservation, appended first) is applied, its
 * `CommissionReversed` not yet. An invoice run leaves such a commission for a later run (docs/architecture.md).
 */
export class CommissionReductionsMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table commissions add column reducing text');
    this.addSql(`alter table commissions add column reversal_ids text[] not null default '{}'`);
  }
}
