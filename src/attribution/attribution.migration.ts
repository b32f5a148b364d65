import { Migration } from '@mikro-orm/migrations';

export class LeadsMigration extends Migration {
  override name = '0004_leads';
  override async up(): Promise<void> {
    this.addSql(`
      create table leads (
        id text primary key,
        company_id text not null,
        partner_id text not null,
        email text not null,
        email_lower text not null,
        name text,
        stripe_customer_id text,
        position bigint not null,
        created_at timestamptz not null
      )`);
    this.addSql('create index leads_company on leads (company_id, position)');
    this.addSql('create index leads_email on leads (company_id, email_lower)');
    this.addSql('create index leads_partner on leads (company_id, partner_id, position)');
    this.addSql('create unique index leads_customer on leads (company_id, stripe_customer_id) where stripe_customer_id is not null');
  }
}

export class PaymentsMigration extends Migration {
  override name = '0010_payments';
  override async up(): Promise<void> {
    this.addSql(`
      create table payments (
        id text primary key,
        company_id text not null,
        stripe_object_id text not null,
        charge_id text,
        payment_intent_id text,
        invoice_id text,
        customer_id text,
        email text,
        amount bigint not null,
        tax bigint not null,
        net bigint not null,
        currency text not null,
        paid_at timestamptz not null,
        refunded_amount bigint not null default 0,
        attribution_status text not null default 'unattributed',
        attribution_method text,
        lead_id text,
        partner_id text,
        trace jsonb not null default '[]',
        stripe_event_id text not null,
        position bigint not null,
        created_at timestamptz not null
      )`);
    this.addSql('create index payments_company on payments (company_id, position)');
    this.addSql('create index payments_status on payments (company_id, attribution_status, position)');
    this.addSql('create index payments_customer on payments (company_id, customer_id)');
    this.addSql(`create index leads_email_domain on leads (company_id, split_part(email_lower, '@', 2))`);
    this.addSql(`create index leads_email_local on leads (company_id, split_part(email_lower, '@', 1))`);
  }
}

/** SPEC §11: why a payment earns no commission (Stripe metadata `partnerflow: "false"`); the fraud checks' refund window per partner. */
export class PaymentCommissionExclusionMigration extends Migration {
  override name = '0102_payment_commission_exclusion';
  override async up(): Promise<void> {
    this.addSql('alter table payments add column commission_excluded jsonb');
    this.addSql('create index payments_partner_paid on payments (company_id, partner_id, paid_at) where partner_id is not null');
  }
}
