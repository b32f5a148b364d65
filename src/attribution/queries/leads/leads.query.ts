import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decodeCursor, page, type Page } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';

export interface LeadView {
  id: string;
  partnerId: string;
  email: string;
  name: string | null;
  stripeCustomerId: string | null;
  createdAt: string;
}

export type LeadRow = {
  id: string;
  company_id: string;
  partner_id: string;
  email: string;
  name: string | null;
  stripe_customer_id: string | null;
  position: string;
  created_at: Date;
};

@Injectable()
export class LeadsQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async get(companyId: string, leadId: string): Promise<LeadView> {
    const [row] = await readSql(this.orm).query<LeadRow>('select * from leads where company_id = $1 and id = $2', [companyId, leadId]);
    if (!row) throw notFound('lead', leadId);
    return toLeadView(row);
  }

  /** Leads with this email (case-insensitive), oldest first; optionally only one partner's. */
  /** How many leads the partner has. */
  async countOfPartner(companyId: string, partnerId: string): Promise<number> {
    const [row] = await readSql(this.orm).query<{ n: number }>('select count(*)::int as n from leads where company_id = $1 and partner_id = $2', [
      companyId,
      partnerId,
    ]);
    return row!.n;
  }

  async idsByEmail(companyId: string, email: string, partnerId?: string): Promise<string[]> {
    const rows = await readSql(this.orm).query<{ id: string }>(
      'select id from leads where company_id = $1 and email_lower = lower($2) and ($3::text is null or partner_id = $3) order by position',
      [companyId, email.trim(), partnerId ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** Leads with this email (case-insensitive), oldest first, with their partner: what attribution by email decides on. */
  async byEmail(companyId: string, email: string, limit = 20): Promise<{ leadId: string; partnerId: string }[]> {
    const rows = await readSql(this.orm).query<{ id: string; partner_id: string }>(
      'select id, partner_id from leads where company_id = $1 and email_lower = lower($2) order by position limit $3',
      [companyId, email.trim(), limit],
    );
    return rows.map((r) => ({ leadId: r.id, partnerId: r.partner_id }));
  }

  /** Leads sharing the email's domain or local part: the pool diagnosis ranks candidates from. */
  async sameDomainOrLocalPart(companyId: string, local: string, domain: string, limit = 500): Promise<{ leadId: string; email: string; partnerId: string }[]> {
    const rows = await readSql(this.orm).query<LeadRow>(
      `select * from leads where company_id = $1 and (split_part(email_lower, '@', 2) = $2 or split_part(email_lower, '@', 1) = $3) order by position limit $4`,
      [companyId, domain.toLowerCase(), local.toLowerCase(), limit],
    );
    return rows.map((r) => ({ leadId: r.id, email: r.email, partnerId: r.partner_id }));
  }

  async list(companyId: string, q: { cursor?: string; limit: number; email?: string; partnerId?: string }): Promise<Page<LeadView>> {
    const rows = await readSql(this.orm).query<LeadRow>(
      `select * from leads where company_id = $1 and position > $2
         and ($3::text is null or email_lower = lower($3)) and ($4::text is null or partner_id = $4)
       order by position limit $5`,
      [companyId, decodeCursor(q.cursor), q.email ?? null, q.partnerId ?? null, q.limit + 1],
    );
    return page(rows, q.limit, toLeadView);
  }
}

export function toLeadView(r: LeadRow): LeadView {
  return {
    id: r.id,
    partnerId: r.partner_id,
    email: r.email,
    name: r.name,
    stripeCustomerId: r.stripe_customer_id,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
