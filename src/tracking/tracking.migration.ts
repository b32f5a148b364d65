import { Migration } from '@mikro-orm/migrations';

/** The partner funnel, pre-aggregated per partner and UTC day (queries/funnel/funnel.projection.ts). */
export class TrackingFunnelMigration extends Migration {
  override name = '0082_tracking_funnel';
  override async up(): Promise<void> {
    this.addSql(`
      create table funnel_days (
        company_id text not null,
        partner_id text not null,
        day date not null,
        clicks bigint not null default 0,
        leads integer not null default 0,
        customers integer not null default 0,
        paying_customers integer not null default 0,
        primary key (company_id, partner_id, day)
      )`);
    this.addSql('create index funnel_days_company_day on funnel_days (company_id, day)');
    this.addSql(`
      create table funnel_amounts (
        company_id text not null,
        partner_id text not null,
        day date not null,
        kind text not null,
        currency text not null,
        amount bigint not null,
        primary key (company_id, partner_id, day, kind, currency)
      )`);
    this.addSql('create index funnel_amounts_company_day on funnel_amounts (company_id, day)');
    this.addSql(`
      create table funnel_leads (
        lead_id text primary key,
        company_id text not null,
        partner_id text not null,
        created boolean not null default false,
        customer_day date,
        paid_day date
      )`);
    this.addSql(`
      create table funnel_payments (
        payment_id text primary key,
        company_id text not null,
        partner_id text not null,
        amount bigint not null,
        net bigint not null,
        currency text not null,
        refunded bigint not null
      )`);
  }
}
