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
