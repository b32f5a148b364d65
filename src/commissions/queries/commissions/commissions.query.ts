import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { periodStartSql, type Interval, type PeriodSum } from '../../../../libs/database/period-sums.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decodeCursor, page } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';
import type { CommissionPlan } from '../../../shared-kernel/commission-plan.js';
import type { CommissionStatus } from '../../domain/commission.js';
import { isResourceId } from '../../../shared-kernel/resource-id.js';
import type { FraudFlag } from '../../domain/fraud.js';
import type { CommissionResponse, MoneyTotal } from '../../commission.response.js';

type Row = {
  id: string;
  partner_id: string;
  lead_id: string;
  payment_id: string;
  kind: string;
  amount: string;
  earned: string;
  reversed_total: string;
  currency: string;
  status: string;
  effective_status: CommissionStatus;
  payable_at: Date;
  paid_at: Date;
  invoice_id: string | null;
  plan: CommissionPlan | null;
  reverses_commission_id: string | null;
  position: string;
  created_at: Date;
  flags: FraudFlag[];
  review: 'auto' | 'manual' | null;
  decline_reason: string | null;
  reviewed_at: Date | null;
};

export interface CommissionFilter {
  partnerId?: string;
  status?: CommissionStatus;
}

/** A pending commission whose hold period is over reads as payable even before the job records it. */
const STATUS = `case when status = 'pending' and payable_at <= $2 then 'payable' else status end`;
const WHERE = `company_id = $1 and ($3::text is null or partner_id = $3) and ($4::text is null or ${STATUS} = $4)`;

@Injectable()
export class CommissionsQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async list(companyId: string, filter: CommissionFilter, cursor: string | undefined, limit: number, now: Date) {
    const params = [companyId, now, filter.partnerId ?? null, filter.status ?? null];
    const sql = readSql(this.orm);
    const rows = await sql.query<Row>(`select *, ${STATUS} as effective_status from commissions where ${WHERE} and position > $5 order by position limit $6`, [
      ...params,
      decodeCursor(cursor),
      limit + 1,
    ]);
    // Declined commissions are owed nothing: totals leave them out unless they are what the filter asks for.
    const sums = await sql.query<{ currency: string; amount: string }>(
      `select currency, sum(amount) as amount from commissions where ${WHERE} and (status <> 'declined' or $4::text = 'declined') group by currency order by currency`,
      params,
    );
    const totals: MoneyTotal[] = sums.map((s) => ({ currency: s.currency, amount: Number(s.amount) }));
    return { ...page(rows, limit, toCommissionView), totals };
  }

  async get(companyId: string, id: string, now: Date): Promise<CommissionResponse> {
    if (!isResourceId(id)) throw notFound('commission', id);
    const [row] = await readSql(this.orm).query<Row>(`select *, ${STATUS} as effective_status from commissions where company_id = $1 and id = $3`, [
      companyId,
      now,
      id,
    ]);
    if (!row) throw notFound('commission', id);
    return toCommissionView(row);
  }

  /** Commission amounts of payments paid in [start, end), per `interval` (of the payment's paid_at) and currency. */
  async amountByPeriod(companyId: string, interval: Interval, start: Date, end: Date): Promise<PeriodSum[]> {
    const rows = await readSql(this.orm).query<{ period: string; currency: string; amount: string }>(
      `select ${periodStartSql('paid_at', interval)} as period, currency, sum(amount)::text as amount from commissions
       where company_id = $1 and paid_at >= $2 and paid_at < $3 group by 1, 2`,
      [companyId, start, end],
    );
    return rows.map((r) => ({ period: r.period, currency: r.currency, amount: Number(r.amount) }));
  }
}

export function toCommissionView(r: Row): CommissionResponse {
  return {
    id: r.id,
    partnerId: r.partner_id,
    leadId: r.lead_id,
    paymentId: r.payment_id,
    amount: Number(r.amount),
    currency: r.currency,
    status: r.effective_status,
    payableAt: new Date(r.payable_at).toISOString(),
    kind: r.kind,
    earnedAmount: Number(r.earned),
    reversedAmount: Number(r.reversed_total),
    invoiceId: r.invoice_id,
    reversesCommissionId: r.reverses_commission_id,
    plan: r.plan,
    paidAt: new Date(r.paid_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
    flags: r.flags ?? [],
    review: r.review,
    declineReason: r.decline_reason,
    reviewedAt: r.reviewed_at && new Date(r.reviewed_at).toISOString(),
  };
}
