import { Injectable } from '@nestjs/common';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LeadsQuery, leadStream, PaymentsQuery, type LeadCreated } from '../../../attribution/index.js';
import { REFUND_WINDOW_DAYS, type FraudFacts } from '../../domain/fraud.js';
import type { AttributedPayment } from '../../domain/earning.js';
import { isEventOf } from '../../../../libs/event-store/aggregate.js';

const DAY = 86_400_000;

/**
 * What the fraud checks of a new commission read (SPEC §11): the lead's email (its stream), leads of other partners with
 * the lead's or the payment's email and the partner's payments of the 90 days up to this one (the attribution read
 * models, which the caller has let catch up with the payment's event).
 */
@Injectable()
export class FraudFactsReader {
  constructor(
    private readonly es: EventSourcing,
    private readonly leads: LeadsQuery,
    private readonly payments: PaymentsQuery,
  ) {}

  async read(p: AttributedPayment, partner: { partnerId: string; email: string }, refundRateThreshold: number): Promise<FraudFacts> {
    const leadEvents = await this.es.store.readStream(leadStream(p.companyId, p.leadId));
    const created = leadEvents.find(isEventOf<LeadCreated>()('LeadCreated'));
    const leadEmail = created?.data.email ?? null;
    const paymentEmail = p.email ?? null;
    const emails = [...new Set([leadEmail, paymentEmail].filter((e): e is string => !!e).map((e) => e.trim().toLowerCase()))];
    const otherPartnersLeads = (await Promise.all(emails.map(async (email) => (await this.leads.byEmail(p.companyId, email)).map((l) => ({ ...l, email })))))
      .flat()
      .filter((l) => l.partnerId !== partner.partnerId);
    const to = new Date(p.paidAt);
    const from = new Date(to.getTime() - REFUND_WINDOW_DAYS * DAY);
    const earlier = await this.payments.partnerRevenue(p.companyId, partner.partnerId, from, to, p.paymentId);
    const revenue = new Map(earlier.revenue.map((r) => [r.currency, { ...r }]));
    const own = revenue.get(p.currency) ?? { currency: p.currency, amount: 0, refunded: 0 };
    revenue.set(p.currency, { ...own, amount: own.amount + p.amount, refunded: own.refunded + (p.refundedAmount ?? 0) });
    return {
      partner,
      leadEmail,
      paymentEmail,
      otherPartnersLeads,
      window: { from: from.toISOString(), payments: earlier.payments + 1, revenue: [...revenue.values()].sort((a, b) => a.currency.localeCompare(b.currency)) },
      refundRateThreshold,
    };
  }
}
