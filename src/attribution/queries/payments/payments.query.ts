import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { periodStartSql, type Interval, type PeriodSum } from '../../../../libs/database/period-sums.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decodeCursor, page, type Page } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';
import type { PaymentResponse } from '../../payment.response.js';
import type { CommissionExclusion } from '../../domain/payment.events.js';

/** A partner's payments in a time window, per currency: what the high_refund_rate check weighs. */
export type PartnerRevenue = { payments: number; revenue: { currency: string; amount: number; refunded: number }[] };

export type PaymentRow = {
  id: string;
  company_id: string;
  stripe_object_id: string;
  charge_id: string | null;
  payment_intent_id: string | null;
  invoice_id: string | null;
  customer_id: string | null;
  email: string | null;
  amount: string;
  tax: string;
  net: string;
  currency: string;
  paid_at: Date;
  refunded_amount: string;
  attribution_status: 'attributed' | 'unattributed';
  attribution_method: string | null;
  lead_id: string | null;
  partner_id: string | null;
  trace: string[];
  position: string;
  created_at: Date;
  commission_excluded: CommissionExclusion | null;
};

export interface PaymentFilter {
  cursor?: string;
  limit: number;
  attribution?: 'attributed' | 'unattributed';
  customerId?: string;
  partnerId?: string;
  leadId?: string;
}

/** The payments read model; every read is scoped to one company. */
@Injectable()
export class PaymentsQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async row(companyId: string, paymentId: string): Promise<PaymentRow> {
    const [row] = await readSql(this.orm).query<PaymentRow>('select * from payments where company_id = $1 and id = $2', [companyId, paymentId]);
    if (!row) throw notFound('payment', paymentId);
    return row;
  }

  async get(companyId: string, paymentId: string): Promise<PaymentResponse> {
    return toPaymentView(await this.row(companyId, paymentId));
  }

  async list(companyId: string, f: PaymentFilter): Promise<Page<PaymentResponse>> {
    const rows = await readSql(this.orm).query<PaymentRow>(
      `select * from payments where company_id = $1 and position > $2
         and ($3::text is null or attribution_status = $3) and ($4::text is null or customer_id = $4)
         and ($5::text is null or partner_id = $5) and ($6::text is null or lead_id = $6)
       order by position limit $7`,
      [companyId, decodeCursor(f.cursor), f.attribution ?? null, f.customerId ?? null, f.partnerId ?? null, f.leadId ?? null, f.limit + 1],
    );
    return page(rows, f.limit, toPaymentView);
  }

  /** Net amounts of attributed payments paid in [start, end), per `interval` and currency. */
  async attributedNetByPeriod(companyId: string, interval: Interval, start: Date, end: Date): Promise<PeriodSum[]> {
    const rows = await readSql(this.orm).query<{ period: string; currency: string; amount: string }>(
      `select ${periodStartSql('paid_at', interval)} as period, currency, sum(net)::text as amount from payments
       where company_id = $1 and attribution_status = 'attributed' and paid_at >= $2 and paid_at < $3 group by 1, 2`,
      [companyId, start, end],
    );
    return rows.map((r) => ({ period: r.period, currency: r.currency, amount: Number(r.amount) }));
  }

  /** How many of the company's payments no partner is attributed. */
  async unattributedCount(companyId: string): Promise<number> {
    const [row] = await readSql(this.orm).query<{ n: number }>(
      `select count(*)::int as n from payments where company_id = $1 and attribution_status = 'unattributed'`,
      [companyId],
    );
    return row?.n ?? 0;
  }

  /** The partner's attributed payments: how many, and their net amount per currency. */
  async attributedToPartner(companyId: string, partnerId: string): Promise<{ attributed: number; revenue: { currency: string; amount: number }[] }> {
    const rows = await readSql(this.orm).query<{ currency: string; n: number; amount: string }>(
      `select currency, count(*)::int as n, sum(net)::text as amount from payments
       where company_id = $1 and partner_id = $2 and attribution_status = 'attributed' group by currency order by currency`,
      [companyId, partnerId],
    );
    return { attributed: rows.reduce((s, r) => s + r.n, 0), revenue: rows.map((r) => ({ currency: r.currency, amount: Number(r.amount) })) };
  }

  /** The partner's attributed payments paid in [from, to], except `exceptPaymentId`: count, and amount and refunds per currency. */
  async partnerRevenue(companyId: string, partnerId: string, from: Date, to: Date, exceptPaymentId: string): Promise<PartnerRevenue> {
    const rows = await readSql(this.orm).query<{ currency: string; n: string; amount: string; refunded: string }>(
      `select currency, count(*) as n, sum(amount) as amount, sum(refunded_amount) as refunded from payments
       where company_id = $1 and partner_id = $2 and paid_at >= $3 and paid_at <= $4 and id <> $5 group by currency order by currency`,
      [companyId, partnerId, from, to, exceptPaymentId],
    );
    return {
      payments: rows.reduce((n, r) => n + Number(r.n), 0),
      revenue: rows.map((r) => ({ currency: r.currency, amount: Number(r.amount), refunded: Number(r.refunded) })),
    };
  }
}

export function toPaymentView(r: PaymentRow): PaymentResponse {
  return {
    id: r.id,
    stripeObjectId: r.stripe_object_id,
    customerId: r.customer_id,
    email: r.email,
    amount: Number(r.amount),
    tax: Number(r.tax),
    net: Number(r.net),
    currency: r.currency,
    paidAt: new Date(r.paid_at).toISOString(),
    refundedAmount: Number(r.refunded_amount),
    attribution: { status: r.attribution_status, method: r.attribution_method, leadId: r.lead_id, partnerId: r.partner_id, trace: r.trace },
    chargeId: r.charge_id,
    paymentIntentId: r.payment_intent_id,
    invoiceId: r.invoice_id,
    commissionExcluded: r.commission_excluded,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
