import { Injectable } from '@nestjs/common';
import type { PeriodSum } from '../../../../libs/database/period-sums.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { PaymentsQuery } from '../../../attribution/index.js';
import { CommissionsQuery, type MoneyTotal } from '../../../commissions/index.js';
import { InvoicesQuery, nextInvoiceRun } from '../../../invoicing/index.js';
import type { OverviewResponse } from '../../reports.response.js';
import { windowOf, type Interval } from './overview-periods.js';

/** The dashboard's figures, from the payments, commissions and invoices read models' sums over time. */
@Injectable()
export class OverviewQuery {
  constructor(
    private readonly companies: CompaniesQuery,
    private readonly payments: PaymentsQuery,
    private readonly commissionsQuery: CommissionsQuery,
    private readonly invoicesQuery: InvoicesQuery,
  ) {}

  async get(companyId: string, q: { from?: string; to?: string; interval?: Interval }, now: Date): Promise<OverviewResponse> {
    const interval = q.interval ?? 'day';
    const w = windowOf({ from: q.from, to: q.to, interval }, now);
    const [company, revenue, commissions, unattributed, invoices] = await Promise.all([
      this.companies.get(companyId),
      this.payments.attributedNetByPeriod(companyId, interval, w.start, w.end),
      this.commissionsQuery.amountByPeriod(companyId, interval, w.start, w.end),
      this.payments.unattributedCount(companyId),
      this.invoicesQuery.countsByStatus(companyId, ['pending_approval', 'approved', 'payment_failed']),
    ]);
    const byPeriod = (rows: PeriodSum[]) => {
      const map = new Map<string, MoneyTotal[]>();
      for (const r of [...rows].sort((a, b) => a.currency.localeCompare(b.currency))) {
        const list = map.get(r.period) ?? [];
        list.push({ currency: r.currency, amount: r.amount });
        map.set(r.period, list);
      }
      return map;
    };
    const total = (rows: PeriodSum[]): MoneyTotal[] => {
      const sums = new Map<string, number>();
      for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.amount);
      return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
    };
    const rev = byPeriod(revenue);
    const com = byPeriod(commissions);
    return {
      from: w.from,
      to: w.to,
      interval,
      data: w.periods.map((p) => ({ periodStart: p, revenue: rev.get(p) ?? [], commissions: com.get(p) ?? [] })),
      totals: { revenue: total(revenue), commissions: total(commissions) },
      unattributedPayments: unattributed,
      invoices: { pendingApproval: invoices.pending_approval, approved: invoices.approved, paymentFailed: invoices.payment_failed },
      nextInvoiceRun: nextInvoiceRun(company.invoiceSchedule, now),
    };
  }
}
