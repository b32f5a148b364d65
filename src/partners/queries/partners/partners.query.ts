import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decodeCursor, page, type Page } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';
import type { CommissionPlan } from '../../../shared-kernel/commission-plan.js';

export interface PartnerView {
  id: string;
  name: string;
  email: string;
  currency: string;
  referralKey: string;
  commissionPlan: CommissionPlan | null;
  promotionCodes: string[];
  stripeAccount: { id: string; payoutsEnabled: boolean } | null;
  bankDetails: Record<string, string> | null;
  active: boolean;
  createdAt: string;
}

export type PartnerRow = {
  id: string;
  company_id: string;
  name: string;
  email: string;
  currency: string;
  referral_key: string;
  commission_plan: CommissionPlan | null;
  promotion_codes: string[];
  stripe_account_id: string | null;
  payouts_enabled: boolean;
  bank_details_masked: Record<string, string> | null;
  bank_details_encrypted: string | null;
  active: boolean;
  position: string;
  created_at: Date;
};

/** The partners read model; every read is scoped to one company. */
@Injectable()
export class PartnersQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async row(companyId: string, partnerId: string): Promise<PartnerRow | undefined> {
    const [row] = await readSql(this.orm).query<PartnerRow>('select * from partners where company_id = $1 and id = $2', [companyId, partnerId]);
    return row;
  }

  async get(companyId: string, partnerId: string): Promise<PartnerView> {
    const row = await this.row(companyId, partnerId);
    if (!row) throw notFound('partner', partnerId);
    return toPartnerView(row);
  }

  async byReferralKey(companyId: string, key: string): Promise<PartnerRow | undefined> {
    const [row] = await readSql(this.orm).query<PartnerRow>('select * from partners where company_id = $1 and referral_key = $2', [companyId, key]);
    return row;
  }

  /** The partners holding a referral key in any company (one, unless two companies drew the same key before keys were claimed across companies). */
  async byReferralKeyInAnyCompany(key: string): Promise<{ companyId: string; partnerId: string }[]> {
    const rows = await readSql(this.orm).query<{ company_id: string; id: string }>('select company_id, id from partners where referral_key = $1 limit 2', [
      key,
    ]);
    return rows.map((r) => ({ companyId: r.company_id, partnerId: r.id }));
  }

  /** Names of some partners of a company, by id. */
  async names(companyId: string, partnerIds: string[]): Promise<Map<string, string>> {
    const rows = await readSql(this.orm).query<{ id: string; name: string }>('select id, name from partners where company_id = $1 and id = any($2)', [
      companyId,
      partnerIds,
    ]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async list(companyId: string, cursor: string | undefined, limit: number, filter: { email?: string } = {}): Promise<Page<PartnerView>> {
    const rows = await readSql(this.orm).query<PartnerRow>(
      `select * from partners where company_id = $1 and position > $2 and ($3::text is null or lower(email) = lower($3)) order by position limit $4`,
      [companyId, decodeCursor(cursor), filter.email ?? null, limit + 1],
    );
    return page(rows, limit, toPartnerView);
  }
}

export function toPartnerView(r: PartnerRow): PartnerView {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    currency: r.currency,
    referralKey: r.referral_key,
    commissionPlan: r.commission_plan,
    promotionCodes: r.promotion_codes ?? [],
    stripeAccount: r.stripe_account_id ? { id: r.stripe_account_id, payoutsEnabled: r.payouts_enabled } : null,
    bankDetails: r.bank_details_masked,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
