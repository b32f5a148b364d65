import type { Event } from '../../../libs/event-store/event-store.port.js';
import { money, percentOf } from '../../../libs/money/index.js';
import { DEFAULT_COMMISSION_PLAN, type CommissionPlan } from '../../shared-kernel/commission-plan.js';
import type { PaymentAttributed } from '../../attribution/index.js';
import {
  commissionIdFor,
  decideReversal,
  evolveCommission,
  initialCommission,
  type CommissionEarned,
  type CommissionReversed,
  type CommissionReviewFacts,
} from './commission.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/**
 * Every attributed payment of a lead is counted here, earning or not: the stream is the idempotency guard for
 * a payment's commission and the memory `firstPaymentOnly` / `durationMonths` are decided against.
 */
export const leadCommissionsStream = (companyId: string, leadId: string) => `leadcommissions-${companyId}-${leadId}`;

export type SkipReason = 'not_first_payment' | 'outside_duration' | 'zero_amount' | 'partner_deactivated' | 'commission_excluded';
/** The limits of the plan a payment was counted under; a later, earlier-paid payment is checked against them. */
export type PlanLimits = Pick<CommissionPlan, 'firstPaymentOnly' | 'durationMonths'>;
export type LeadPaymentCounted = {
  type: 'LeadPaymentCounted';
  data: {
    companyId: string;
    leadId: string;
    partnerId: string;
    paymentId: string;
    paidAt: string;
    commissionId: string | null;
    skipped: SkipReason | null;
    limits?: PlanLimits | null;
  };
};
/**
 * An earlier-paid payment was counted after this one (retroactive attribution): under the limits this commission was
 * earned with it is no longer the first payment, or now falls outside the window. The commission is reversed in full.
 */
export type LeadCommissionRevoked = {
  type: 'LeadCommissionRevoked';
  data: {
    companyId: string;
    leadId: string;
    partnerId: string;
    paymentId: string;
    commissionId: string;
    reason: Exclude<SkipReason, 'zero_amount' | 'partner_deactivated' | 'commission_excluded'>;
    displacedBy: string;
  };
};

type CountedPayment = { paymentId: string; paidAt: string };
export interface LeadPayments {
  payments: (CountedPayment & { commissionId: string | null; limits: PlanLimits | null; revoked: boolean })[];
}

export const initialLeadPayments: LeadPayments = { payments: [] };

const isLeadPaymentsEvent = isEventOf<LeadPaymentCounted | LeadCommissionRevoked>()('LeadPaymentCounted', 'LeadCommissionRevoked');

export function evolveLeadPayments(state: LeadPayments, event: Event): LeadPayments {
  if (!isLeadPaymentsEvent(event)) return state;
  if (event.type === 'LeadCommissionRevoked') {
    const { commissionId } = event.data;
    return { payments: state.payments.map((p) => (p.commissionId === commissionId ? { ...p, revoked: true } : p)) };
  }
  const d = event.data;
  return {
    payments: [...state.payments, { paymentId: d.paymentId, paidAt: d.paidAt, commissionId: d.commissionId ?? null, limits: d.limits ?? null, revoked: false }],
  };
}

export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  target.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return target;
}

const byPaymentTime = (a: CountedPayment, b: CountedPayment) => Date.parse(a.paidAt) - Date.parse(b.paidAt) || a.paymentId.localeCompare(b.paymentId);

/**
 * Decided on the lead's counted history by payment time, never by processing order: the first payment is the earliest
 * `paidAt` (ties: the smaller payment id), and `durationMonths` counts from it. Counting an earlier payment can only take
 * eligibility away from later ones (see `decideEarn`), never give it.
 */
export function eligibility(
  limits: PlanLimits,
  payment: CountedPayment,
  counted: readonly CountedPayment[],
): Exclude<SkipReason, 'zero_amount' | 'partner_deactivated' | 'commission_excluded'> | null {
  const first = [payment, ...counted].reduce((a, b) => (byPaymentTime(b, a) < 0 ? b : a));
  if (limits.firstPaymentOnly && first.paymentId !== payment.paymentId) return 'not_first_payment';
  if (limits.durationMonths !== undefined && Date.parse(payment.paidAt) >= addMonths(first.paidAt, limits.durationMonths).getTime()) return 'outside_duration';
  return null;
}

const limitsOf = (plan: CommissionPlan): PlanLimits | null =>
  plan.firstPaymentOnly || plan.durationMonths !== undefined
    ? { ...(plan.firstPaymentOnly && { firstPaymentOnly: true }), ...(plan.durationMonths !== undefined && { durationMonths: plan.durationMonths }) }
    : null;

/** What earning needs of an attributed payment (the Attribution module's event carries it). */
export type AttributedPayment = Pick<
  PaymentAttributed['data'],
  'paymentId' | 'companyId' | 'leadId' | 'partnerId' | 'amount' | 'tax' | 'net' | 'currency' | 'paidAt' | 'refundedAmount' | 'email' | 'commissionExcluded'
>;

/**
 * Percentage plans take `percent` of the net (amount − tax) in the payment's currency, half-even. Flat plans pay their
 * amount in the plan's own currency whatever the payment's: the invoice converts it once, into the partner's currency.
 */
export function commissionAmount(plan: CommissionPlan, payment: Pick<AttributedPayment, 'net' | 'currency'>): { amount: number; currency: string } {
  if (plan.type === 'percentage') return percentOf(money(Math.max(payment.net, 0), payment.currency), plan.percent);
  return money(plan.amount, plan.currency);
}

export interface EarnContext {
  payment: AttributedPayment;
  lead: LeadPayments;
  partnerPlan: CommissionPlan | null;
  companyPlan: CommissionPlan | null;
  holdDays: number;
  /** A deactivated partner earns nothing new (the payment is still counted on the lead). */
  partnerActive?: boolean;
  /** Review mode and fraud flags of the new commission (absent: auto, no flags). */
  review?: CommissionReviewFacts;
}

export const planInForce = (ctx: Pick<EarnContext, 'partnerPlan' | 'companyPlan'>): { plan: CommissionPlan; source: 'partner' | 'company' } =>
  ctx.partnerPlan ? { plan: ctx.partnerPlan, source: 'partner' } : { plan: ctx.companyPlan ?? DEFAULT_COMMISSION_PLAN, source: 'company' };

/**
 * Counts the payment on the lead and, when the plan in force pays, earns its commission (already reduced by refunds seen
 * before). A payment paid before commissions already earned may take their eligibility away: those are revoked.
 */
export function decideEarn(
  ctx: EarnContext,
): { counted: LeadPaymentCounted; earned: (CommissionEarned | CommissionReversed)[]; revoked: LeadCommissionRevoked[] } | null {
  const p = ctx.payment;
  if (ctx.lead.payments.some((x) => x.paymentId === p.paymentId)) return null;
  const { plan, source } = planInForce(ctx);
  const commissionId = commissionIdFor(p.paymentId);
  const computed = commissionAmount(plan, p);
  const limits = limitsOf(plan);
  const skipped =
    ctx.partnerActive === false
      ? 'partner_deactivated'
      : p.commissionExcluded
        ? 'commission_excluded'
        : ((limits && eligibility(limits, p, ctx.lead.payments)) ?? (computed.amount === 0 ? 'zero_amount' : null));
  const counted: LeadPaymentCounted = {
    type: 'LeadPaymentCounted',
    data: {
      companyId: p.companyId,
      leadId: p.leadId,
      partnerId: p.partnerId,
      paymentId: p.paymentId,
      paidAt: p.paidAt,
      commissionId: skipped ? null : commissionId,
      skipped,
      limits,
    },
  };
  const revoked = revocations(ctx.lead, p, counted.data);
  if (skipped) return { counted, earned: [], revoked };
  const payableAt = new Date(Date.parse(p.paidAt) + ctx.holdDays * 86_400_000).toISOString();
  const earned: CommissionEarned = {
    type: 'CommissionEarned',
    data: {
      commissionId,
      companyId: p.companyId,
      partnerId: p.partnerId,
      leadId: p.leadId,
      paymentId: p.paymentId,
      kind: 'payment',
      amount: computed.amount,
      currency: computed.currency,
      paidAt: p.paidAt,
      payableAt,
      holdDays: ctx.holdDays,
      plan,
      planSource: source,
      basis: { amount: p.amount, tax: p.tax, net: p.net, currency: p.currency },
      conversion: null,
      reversesCommissionId: null,
      reversalId: null,
      reason: null,
      ...(ctx.review && { review: ctx.review }),
    },
  };
  return { counted, earned: [earned, ...priorRefund(earned, p)], revoked };
}

/** Live commissions of the lead that the newly counted payment makes ineligible, under the limits each was earned with. */
function revocations(lead: LeadPayments, p: AttributedPayment, counted: LeadPaymentCounted['data']): LeadCommissionRevoked[] {
  const all: CountedPayment[] = [...lead.payments, counted];
  return lead.payments.flatMap((q) => {
    if (!q.commissionId || q.revoked || !q.limits) return [];
    const reason = eligibility(
      q.limits,
      q,
      all.filter((x) => x.paymentId !== q.paymentId),
    );
    return reason
      ? [
          {
            type: 'LeadCommissionRevoked' as const,
            data: {
              companyId: p.companyId,
              leadId: p.leadId,
              partnerId: p.partnerId,
              paymentId: q.paymentId,
              commissionId: q.commissionId,
              reason,
              displacedBy: p.paymentId,
            },
          },
        ]
      : [];
  });
}

/** A refund that happened before a (retroactive) attribution reduces the new commission at once. */
function priorRefund(earned: CommissionEarned, p: AttributedPayment): CommissionReversed[] {
  if (!p.refundedAmount || p.refundedAmount <= 0) return [];
  const state = evolveCommission(initialCommission, earned);
  const refund = { reversalId: 'before_attribution', reason: 'refund' as const, refundedTotal: p.refundedAmount, occurredAt: p.paidAt };
  const decided = decideReversal(state, { commissionId: earned.data.commissionId, companyId: p.companyId }, refund, false);
  return decided ? [decided.reversed] : [];
}
