import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { convert, money, percentOf, type FxRate } from '../../../libs/money/index.js';
import { DEFAULT_COMMISSION_PLAN, type CommissionPlan } from './commission-plan.js';
import type { PaymentAttributed } from '../../attribution/domain/payment.events.js';
import { commissionIdFor, decideReversal, evolveCommission, initialCommission, type CommissionEarned, type CommissionReversed, type RecordedConversion } from './commission.js';

/**
 * Every attributed payment of a lead is counted here, earning or not: the stream is the idempotency guard for
 * a payment's commission and the memory `firstPaymentOnly` / `durationMonths` are decided against.
 */
export const leadCommissionsStream = (companyId: string, leadId: string) => `leadcommissions-${companyId}-${leadId}`;

export type SkipReason = 'not_first_payment' | 'outside_duration' | 'zero_amount' | 'partner_deactivated';
export type LeadPaymentCounted = {
  type: 'LeadPaymentCounted';
  data: { companyId: string; leadId: string; partnerId: string; paymentId: string; paidAt: string; commissionId: string | null; skipped: SkipReason | null };
};

export interface LeadPayments {
  payments: { paymentId: string; paidAt: string }[];
}

export const initialLeadPayments: LeadPayments = { payments: [] };

export function evolveLeadPayments(state: LeadPayments, event: RecordedEvent): LeadPayments {
  if (event.type !== 'LeadPaymentCounted') return state;
  const d = (event as unknown as LeadPaymentCounted).data;
  return { payments: [...state.payments, { paymentId: d.paymentId, paidAt: d.paidAt }] };
}

export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  target.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return target;
}

/**
 * The lead's first payment is its earliest by `paidAt` among those counted so far (Stripe may deliver out of
 * order; a decision is final and records what it knew). `durationMonths` counts from that first payment.
 */
export function eligibility(plan: CommissionPlan, paidAt: string, lead: LeadPayments): SkipReason | null {
  const at = Date.parse(paidAt);
  const earlier = lead.payments.map((p) => Date.parse(p.paidAt));
  if (plan.firstPaymentOnly && earlier.some((t) => t <= at)) return 'not_first_payment';
  if (plan.durationMonths !== undefined) {
    const first = Math.min(at, ...earlier);
    if (at >= addMonths(new Date(first).toISOString(), plan.durationMonths).getTime()) return 'outside_duration';
  }
  return null;
}

/** What earning needs of an attributed payment (the Attribution module's event carries it). */
export type AttributedPayment = Pick<PaymentAttributed['data'], 'paymentId' | 'companyId' | 'leadId' | 'partnerId' | 'amount' | 'tax' | 'net' | 'currency' | 'paidAt' | 'refundedAmount'>;

/**
 * Percentage plans take `percent` of the net (amount − tax) in the payment's currency, half-even. Flat plans pay
 * their amount, converted into the payment's currency at the rate of the payment date when the currencies differ;
 * without such a rate the flat amount is earned in the plan's own currency rather than guessed.
 */
export function commissionAmount(plan: CommissionPlan, payment: Pick<AttributedPayment, 'net' | 'currency'>, rate: FxRate | null): { amount: number; currency: string; conversion: RecordedConversion | null } {
  if (plan.type === 'percentage') return { ...percentOf(money(Math.max(payment.net, 0), payment.currency), plan.percent), conversion: null };
  const flat = money(plan.amount, plan.currency);
  if (flat.currency === payment.currency || !rate) return { ...flat, conversion: null };
  const c = convert(flat, rate);
  return { ...c.to, conversion: { from: c.from, rate: c.rate, rateId: c.rateId, asOf: c.asOf, source: c.source, inverted: c.inverted } };
}

export interface EarnContext {
  payment: AttributedPayment;
  lead: LeadPayments;
  partnerPlan: CommissionPlan | null;
  companyPlan: CommissionPlan | null;
  holdDays: number;
  /** Only consulted for a flat plan in another currency than the payment. */
  rate: FxRate | null;
  /** A deactivated partner earns nothing new (the payment is still counted on the lead). */
  partnerActive?: boolean;
}

export const planInForce = (ctx: Pick<EarnContext, 'partnerPlan' | 'companyPlan'>): { plan: CommissionPlan; source: 'partner' | 'company' } =>
  ctx.partnerPlan ? { plan: ctx.partnerPlan, source: 'partner' } : { plan: ctx.companyPlan ?? DEFAULT_COMMISSION_PLAN, source: 'company' };

/** Counts the payment on the lead and, when the plan in force pays, earns its commission (already reduced by refunds seen before). */
export function decideEarn(ctx: EarnContext): { counted: LeadPaymentCounted; earned: (CommissionEarned | CommissionReversed)[] } | null {
  const p = ctx.payment;
  if (ctx.lead.payments.some((x) => x.paymentId === p.paymentId)) return null;
  const { plan, source } = planInForce(ctx);
  const commissionId = commissionIdFor(p.paymentId);
  const computed = commissionAmount(plan, p, ctx.rate);
  const skipped = ctx.partnerActive === false ? 'partner_deactivated' : (eligibility(plan, p.paidAt, ctx.lead) ?? (computed.amount === 0 ? 'zero_amount' : null));
  const counted: LeadPaymentCounted = {
    type: 'LeadPaymentCounted',
    data: { companyId: p.companyId, leadId: p.leadId, partnerId: p.partnerId, paymentId: p.paymentId, paidAt: p.paidAt, commissionId: skipped ? null : commissionId, skipped },
  };
  if (skipped) return { counted, earned: [] };
  const payableAt = new Date(Date.parse(p.paidAt) + ctx.holdDays * 86_400_000).toISOString();
  const earned: CommissionEarned = {
    type: 'CommissionEarned',
    data: {
      commissionId, companyId: p.companyId, partnerId: p.partnerId, leadId: p.leadId, paymentId: p.paymentId, kind: 'payment', amount: computed.amount, currency: computed.currency,
      paidAt: p.paidAt, payableAt, holdDays: ctx.holdDays, plan, planSource: source, basis: { amount: p.amount, tax: p.tax, net: p.net, currency: p.currency },
      conversion: computed.conversion, reversesCommissionId: null, reversalId: null, reason: null,
    },
  };
  return { counted, earned: [earned, ...priorRefund(earned, p)] };
}

/** A refund that happened before a (retroactive) attribution reduces the new commission at once. */
function priorRefund(earned: CommissionEarned, p: AttributedPayment): CommissionReversed[] {
  if (!p.refundedAmount || p.refundedAmount <= 0) return [];
  const state = evolveCommission(initialCommission, earned as unknown as RecordedEvent);
  const refund = { reversalId: 'before_attribution', reason: 'refund' as const, refundedTotal: p.refundedAmount, occurredAt: p.paidAt };
  const decided = decideReversal(state, { commissionId: earned.data.commissionId, companyId: p.companyId }, refund, false);
  return decided ? [decided.reversed] : [];
}
