import { Migration } from '@mikro-orm/migrations';

/** The company's outbound settings (SPEC §12): who gets e-mails, which kinds are off, Stripe write-back. */
export class CompanyOutboundSettingsMigration extends Migration {
  override name = '0061_company_outbound_settings';
  override async up(): Promise<void> {
    this.addSql(`alter table companies add column notifications jsonb not null default '{"adminEmails": [], "disabled": []}'`);
    this.addSql('alter table companies add column stripe_write_back boolean not null default false');
  }
}

/** Partner keys can be disabled (a deactivated partner); partners show whether they are active. */
export class KeyRevocationMigration extends Migration {
  override name = '0051_key_revocation';
  override async up(): Promise<void> {
    this.addSql('alter table api_keys add column disabled boolean not null default false');
    this.addSql('alter table partners add column active boolean not null default true');
  }
}

export class CompaniesMigration extends Migration {
  override name = '0002_companies';
  override async up(): Promise<void> {
    this.addSql(`
      create table companies (
        id text primary key,
        name text not null,
        currency text not null,
        invoice_schedule jsonb not null,
        commission_plan jsonb,
        webhook_secret_encrypted text,
        api_key_encrypted text,
        position bigint not null,
        created_at timestamptz not null
      )`);
    this.addSql(`
      create table api_keys (
        key_hash text primary key,
        role text not null,
        company_id text not null,
        partner_id text
      )`);
  }
}

/** Tracking settings and the publishable key of the tracking endpoints (SPEC §10). */
export class CompanyTrackingMigration extends Migration {
  override name = '0080_company_tracking';
  override async up(): Promise<void> {
    this.addSql('alter table companies add column tracking jsonb, add column publishable_key text');
    this.addSql('create unique index companies_publishable_key on companies (publishable_key)');
    // CORS preflights ask whether any company allows an origin.
    this.addSql(`create index companies_allowed_origins on companies using gin ((tracking -> 'allowedOrigins'))`);
  }
}

/** Commission review and fraud-check settings (SPEC §11). */
export class CompanyCommissionReviewMigration extends Migration {
  override name = '0100_company_commission_review';
  override async up(): Promise<void> {
    this.addSql(`alter table companies add column commission_review text not null default 'auto', add column fraud jsonb`);
  }
}
