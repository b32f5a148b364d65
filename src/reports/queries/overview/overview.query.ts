import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { ORM } from '../../../core/tokens.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { nextInvoiceRun } from '../../../invoicing/index.js';
import type { MoneyTotal } from '../../../commissions/index.js';
import type { OverviewResponse } from '../../reports.response.js';
import { windowOf, type Interval } from './overview-periods.js';

type SumRow = { period: string; currency: string; amount: string };

/**
 * The dashboard's figures in four grouped statements over the payments, commissions and invoices read
 * models (like the readiness checklist, it reads their tables: their query services page rows and
 * have no sums over time). Each statement is one company's rows through its (company_id, …) index.
 */
@Injectable()
export class OverviewQuery {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    private readonly companies: CompaniesQuery,
  ) {}

  async get(companyId: string, q: { from?: string; to?: string; interval?: Interval }, now: Date): Promise<OverviewResponse> {
    const interval = q.interval ?? 'day';
    const w = windowOf({ from: q.from, to: q.to, interval }, now);
    const sql = readSql(this.orm);
    const bucket = `to_char(date_trunc('${interval}', paid_at at time zone 'UTC'), 'YYYY-MM-DD')`;
    const [company, revenue, commissions, unattributed, invoices] = await Promise.all([
      this.companies.get(companyId),
      sql.query<SumRow>(
        `select ${bucket} as period, currency, sum(net)::text as amount from payments
         where company_id = $1 and attribution_status = 'attributed' and paid_at >= $2 and paid_at < $3 group by 1, 2`,
        [companyId, w.start, w.end],
      ),
      sql.query<SumRow>(
        `select ${bucket} as period, currency, sum(amount)::text as amount from commissions where company_id = $1 and paid_at >= $2 and paid_at < $3 group by 1, 2`,
        [companyId, w.start, w.end],
      ),
      sql.query<{ n: number }>(`select count(*)::int as n from payments where company_id = $1 and attribution_status = 'unattributed'`, [companyId]),
      sql.query<{ status: string; n: number }>(
        `select status, count(*)::int as n from invoices where company_id = $1 and status in ('pending_approval', 'approved', 'payment_failed') group by status`,
        [companyId],
      ),
    ]);
    const byPeriod = (rows: SumRow[]) => {
      const map = new Map<string, MoneyTotal[]>();
      for (const r of [...rows].sort((a, b) => a.currency.localeCompare(b.currency))) {
        const list = map.get(r.period) ?? [];
        list.push({ currency: r.currency, amount: Number(r.amount) });
        map.set(r.period, list);
      }
      return map;
    };
    const total = (rows: SumRow[]): MoneyTotal[] => {
      const sums = new Map<string, number>();
      for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0) + Number(r.amount));
      return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
    };
    const rev = byPeriod(revenue);
    const com = byPeriod(commissions);
    const count = (status: string) => invoices.find((r) => r.status === status)?.n ?? 0;
    return {
      from: w.from,
      to: w.to,
      interval,
      data: w.periods.map((p) => ({ periodStart: p, revenue: rev.get(p) ?? [], commissions: com.get(p) ?? [] })),
      totals: { revenue: total(revenue), commissions: total(commissions) },
      unattributedPayments: unattributed[0]?.n ?? 0,
      invoices: { pendingApproval: count('pending_approval'), approved: count('approved'), paymentFailed: count('payment_failed') },
      nextInvoiceRun: nextInvoiceRun(company.invoiceSchedule, now),
    };
  }
}
