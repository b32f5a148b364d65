import { Migration } from '@mikro-orm/migrations';

export class PartnersMigration extends Migration {
  override name = '0003_partners';
  override async up(): Promise<void> {
    this.addSql(`
      create table partners (
        id text primary key,
        company_id text not null,
        name text not null,
        email text not null,
        currency text not null,
        referral_key text not null,
        commission_plan jsonb,
        stripe_account_id text,
        payouts_enabled boolean not null default false,
        bank_details_masked jsonb,
        bank_details_encrypted text,
        position bigint not null,
        created_at timestamptz not null
      )`);
    this.addSql('create index partners_company on partners (company_id, position)');
    this.addSql('create unique index partners_referral_key on partners (company_id, referral_key)');
  }
}

/** A partner's promotion codes (SPEC §10); `/r/{referralKey}` finds a partner by its key alone. */
export class PartnerPromotionCodesMigration extends Migration {
  override name = '0081_partner_promotion_codes';
  override async up(): Promise<void> {
    this.addSql(`alter table partners add column promotion_codes jsonb not null default '[]'`);
    this.addSql('create index partners_referral_key_any_company on partners (referral_key)');
  }
}
