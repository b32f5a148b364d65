import { prorate } from '../../../libs/money/index.js';

/**
 * What a partner's funnel counts, per UTC day (summable into weeks and months):
 * - clicks: counted clicks (ClickRecorded), on the click's day;
 * - leads: leads created, on their creation day;
 * - customers: leads that got their first Stripe customer (LeadCustomerLinked), or whose customer-less checkout named
 *   them for its payment intent (CheckoutPaymentClaimed), on the first of those days;
 * - payingCustomers: leads whose first attributed payment (in log order) was paid that day;
 * - revenue: attributed payments' net (amount − tax, as commissions use it) on their paid day, less the net share
 *   of refunds and lost disputes on the day they happened;
 * - commissions: commissions earned on payments (their paid day) less reversals (the day they were reversed).
 */
export type FunnelKind = 'revenue' | 'commission';

/** The net part of a payment's refunded total, rounded once (half-even), so successive refunds never drift. */
export function refundedNet(payment: { amount: number; net: number; currency: string }, refundedTotal: number): number {
  if (payment.amount <= 0) return 0;
  return prorate({ amount: payment.net, currency: payment.currency }, Math.min(refundedTotal, payment.amount), payment.amount).amount;
}

export const utcDay = (iso: string | Date): string => new Date(iso).toISOString().slice(0, 10);
