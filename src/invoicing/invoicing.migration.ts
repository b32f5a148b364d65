import { Migration } from '@mikro-orm/migrations';

/** The bank details an invoice was approved with (InvoiceApproved), for its document. */
export class InvoiceBankDetailsMigration extends Migration {
  override name = '0052_invoice_bank_details';
  override async up(): Promise<void> {
    this.addSql('alter table invoices add column bank_details_encrypted text');
  }
}

export class InvoicingMigration extends Migration {
  override name = '0030_invoices';
  override async up(): Promise<void> {
    this.addSql(`
      create table invoices (
        id text primary key,
        company_id text not null,
        partner_id text not null,
        number text not null,
        sequence integer not null,
        status text not null,
        currency text not null,
        total bigint not null,
        lines jsonb not null,
        period_start date not null,
        period_end date not null,
        payment_attempt integer not null default 0,
        payment_intent_id text,
        failure_reason text,
        paid_method text,
        paid_reference text,
        paid_at timestamptz,
        approved_at timestamptz,
        voided_at timestamptz,
        position bigint not null,
        created_at timestamptz not null
      )`);
    this.addSql('create index invoices_company on invoices (company_id, position)');
    this.addSql('create index invoices_partner on invoices (company_id, partner_id, position)');
    this.addSql('create unique index invoices_sequence on invoices (company_id, sequence)');
  }
}

/** Issue 15: rounding carries, clawback statements and the scheduled-run record. */
export class InvoiceCarriesMigration extends Migration {
  override name = '0060_invoice_carries';
  override async up(): Promise<void> {
    this.addSql(`alter table invoice_periods add column kind text not null default 'payout', add column carry_currency text,
      add column carry_in bigint not null default 0, add column carry_out bigint not null default 0, add column voided boolean not null default false`);
    this.addSql('create index invoice_periods_carry on invoice_periods (company_id, partner_id) where carry_in <> 0 or carry_out <> 0');
    this.addSql(
      `alter table invoices add column kind text not null default 'payout', add column carry_in bigint not null default 0, add column carry_out bigint not null default 0`,
    );
  }
}
