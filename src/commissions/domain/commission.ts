import type { Event } from '../../../libs/event-store/event-store.port.js';
import { money, prorate } from '../../../libs/money/index.js';
import type { CommissionPlan } from '../../shared-kernel/commission-plan.js';
import type { FraudFlag } from './fraud.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

export const commissionStream = (companyId: string, commissionId: string) => `commission-${companyId}-${commissionId}`;
/** Deterministic from the payment, so a redelivered attribution finds the commission it already made. */
export const commissionIdFor = (paymentId: string) => `cm_${paymentId}`;
export const reversalCommissionIdFor = (paymentId: string, reversalId: string) => `cm_${paymentId}_${reversalId}`;

export type CommissionStatus = 'pending_review' | 'pending' | 'payable' | 'invoiced' | 'paid' | 'reversed' | 'declined';
export const COMMISSION_STATUSES = ['pending_review', 'pending', 'payable', 'invoiced', 'paid', 'reversed', 'declined'] as const;

/**
 * How a commission was reviewed when earned (SPEC §11): `required` under manual review or with any fraud flag; it then
 * waits in `pending_review` (in the ledger's `pending`, never `payable`) until approved or declined.
 */
export interface CommissionReviewFacts {
  required: boolean;
  mode: 'auto' | 'manual';
  flags: FraudFlag[];
}
/** A refund or lost dispute of the payment, or the plan's limits revoking it (an earlier payment was counted later). */
export type ReversalReason = 'refund' | 'dispute_lost' | 'not_first_payment' | 'outside_duration';

/** The FX conversion a flat plan in another currency went through. */
export interface RecordedConversion {
  from: { amount: number; currency: string };
  rate: string;
  rateId: string;
  asOf: string;
  source: string;
  inverted: boolean;
}

/**
 * `kind: 'payment'` is earned on an attributed payment; `kind: 'reversal'` is the negative, immediately payable
 * commission that carries a refund of an already invoiced or paid commission into the next invoice.
 */
export type CommissionEarned = {
  type: 'CommissionEarned';
  data: {
    commissionId: string;
    companyId: string;
    partnerId: string;
    leadId: string;
    paymentId: string;
    kind: 'payment' | 'reversal';
    amount: number;
    currency: string;
    paidAt: string;
    payableAt: string;
    holdDays: number;
    plan: CommissionPlan | null;
    planSource: 'partner' | 'company' | null;
    basis: { amount: number; tax: number; net: number; currency: string } | null;
    conversion: RecordedConversion | null;
    reversesCommissionId: string | null;
    reversalId: string | null;
    reason: ReversalReason | null;
    /** Absent on commissions earned before review existed: not reviewed, no flags. */
    review?: CommissionReviewFacts;
  };
};
/** Out of review: it follows the hold period from here (`payableAt` unchanged); `amount` is what it is worth now. */
export type CommissionApproved = {
  type: 'CommissionApproved';
  data: { commissionId: string; companyId: string; partnerId: string; amount: number; currency: string; payableAt: string; approvedAt: string };
};
/** Declined in review: it never becomes payable nor reaches an invoice; `amount` leaves the ledger's pending. */
export type CommissionDeclined = {
  type: 'CommissionDeclined';
  data: { commissionId: string; companyId: string; partnerId: string; amount: number; currency: string; reason: string; declinedAt: string };
};
export type CommissionBecamePayable = {
  type: 'CommissionBecamePayable';
  data: { commissionId: string; companyId: string; partnerId: string; payableAt: string };
};
/**
 * A refund's share of the commission. `reversedTotal` is cumulative (commission × refundedTotal / payment amount),
 * `amount` this step. `reduced`: the commission itself shrinks to `remaining`; `carried`: it was invoiced, it keeps
 * `remaining` and `carriedBy` is the negative commission. (A commission may see both, when its invoice is voided.)
 */
export type CommissionReversed = {
  type: 'CommissionReversed';
  data: {
    commissionId: string;
    companyId: string;
    partnerId: string;
    paymentId: string;
    reversalId: string;
    reason: ReversalReason;
    amount: number;
    currency: string;
    reversedTotal: number;
    remaining: number;
    refundedTotal: number;
    paymentAmount: number;
    payableAt: string;
    mode: 'reduced' | 'carried';
    carriedBy: string | null;
    /** The commission was in review: its amount sat in the ledger's pending and never became payable. */
    underReview?: boolean;
  };
};
export type CommissionEvent = CommissionEarned | CommissionBecamePayable | CommissionReversed | CommissionApproved | CommissionDeclined;

export interface CommissionState {
  exists: boolean;
  partnerId: string;
  leadId: string;
  paymentId: string;
  currency: string;
  /** The amount earned, before reversals. */
  earned: number;
  /** What is still owed on this commission itself (earned − reductions; carried reversals live on their own commission). */
  amount: number;
  reversedTotal: number;
  paymentAmount: number;
  payableAt: string;
  status: 'pending_review' | 'pending' | 'payable' | 'reversed' | 'declined';
  reversalIds: string[];
  kind: 'payment' | 'reversal';
  /** Whether it went through review: `approved` also once reversed or paid later. */
  review: 'none' | 'pending' | 'approved' | 'declined';
  declineReason: string | null;
}

export const initialCommission: CommissionState = {
  exists: false,
  partnerId: '',
  leadId: '',
  paymentId: '',
  currency: 'usd',
  earned: 0,
  amount: 0,
  reversedTotal: 0,
  paymentAmount: 0,
  payableAt: '',
  status: 'pending',
  reversalIds: [],
  kind: 'payment',
  review: 'none',
  declineReason: null,
};

const isCommissionEvent = isEventOf<CommissionEvent>()(
  'CommissionEarned',
  'CommissionBecamePayable',
  'CommissionReversed',
  'CommissionApproved',
  'CommissionDeclined',
);

export function evolveCommission(state: CommissionState, e: Event): CommissionState {
  if (!isCommissionEvent(e)) return state;
  switch (e.type) {
    case 'CommissionEarned': {
      const inReview = e.data.kind === 'payment' && e.data.review?.required === true;
      return {
        ...initialCommission,
        exists: true,
        partnerId: e.data.partnerId,
        leadId: e.data.leadId,
        paymentId: e.data.paymentId,
        currency: e.data.currency,
        earned: e.data.amount,
        amount: e.data.amount,
        paymentAmount: e.data.basis?.amount ?? 0,
        payableAt: e.data.payableAt,
        status: e.data.kind === 'reversal' ? 'payable' : inReview ? 'pending_review' : 'pending',
        kind: e.data.kind,
        review: inReview ? 'pending' : 'none',
      };
    }
    case 'CommissionBecamePayable':
      return state.status === 'pending' ? { ...state, status: 'payable' } : state;
    case 'CommissionApproved':
      return state.status === 'pending_review' ? { ...state, status: 'pending', review: 'approved' } : state;
    case 'CommissionDeclined':
      return state.status === 'pending_review' ? { ...state, status: 'declined', review: 'declined', declineReason: e.data.reason } : state;
    case 'CommissionReversed':
      return {
        ...state,
        reversedTotal: e.data.reversedTotal,
        amount: e.data.remaining,
        status: e.data.remaining === 0 ? 'reversed' : state.status,
        reversalIds: [...state.reversalIds, e.data.reversalId],
      };
    default:
      return state;
  }
}

export interface Refund {
  reversalId: string;
  reason: ReversalReason;
  refundedTotal: number;
  occurredAt: string;
}

/**
 * How much of the commission a refund reverses: the cumulative target is earned × refundedTotal / paymentAmount
 * (half-even), minus what earlier refunds already reversed. Repeated or out-of-order partial refunds therefore
 * never reverse more than the commission; a refund whose cumulative total is already covered reverses nothing.
 */
export function reversalStep(state: CommissionState, refundedTotal: number): { amount: number; reversedTotal: number } {
  if (!state.exists || state.paymentAmount <= 0 || state.earned <= 0) return { amount: 0, reversedTotal: state.reversedTotal };
  const part = Math.min(Math.max(refundedTotal, 0), state.paymentAmount);
  const target = prorate(money(state.earned, state.currency), part, state.paymentAmount).amount;
  return target > state.reversedTotal ? { amount: target - state.reversedTotal, reversedTotal: target } : { amount: 0, reversedTotal: state.reversedTotal };
}

/**
 * A refund on a commission: reduce it while it is not invoiced, otherwise leave it and add a negative commission
 * that the next invoice carries. Already seen reversal ids and covered totals decide nothing.
 */
export function decideReversal(
  state: CommissionState,
  ids: { commissionId: string; companyId: string },
  refund: Refund,
  invoiced: boolean,
): { reversed: CommissionReversed; carried: CommissionEarned | null } | null {
  // A declined commission owes nothing: there is nothing left to reverse.
  if (!state.exists || state.status === 'declined' || state.reversalIds.includes(refund.reversalId)) return null;
  const step = reversalStep(state, refund.refundedTotal);
  if (step.amount === 0) return null;
  const carriedBy = invoiced ? reversalCommissionIdFor(state.paymentId, refund.reversalId) : null;
  const reversed: CommissionReversed = {
    type: 'CommissionReversed',
    data: {
      ...ids,
      partnerId: state.partnerId,
      paymentId: state.paymentId,
      reversalId: refund.reversalId,
      reason: refund.reason,
      amount: step.amount,
      currency: state.currency,
      reversedTotal: step.reversedTotal,
      remaining: invoiced ? state.amount : state.amount - step.amount,
      refundedTotal: refund.refundedTotal,
      paymentAmount: state.paymentAmount,
      payableAt: state.payableAt,
      mode: invoiced ? 'carried' : 'reduced',
      carriedBy,
      ...(state.status === 'pending_review' && { underReview: true }),
    },
  };
  const carried: CommissionEarned | null = carriedBy
    ? {
        type: 'CommissionEarned',
        data: {
          commissionId: carriedBy,
          companyId: ids.companyId,
          partnerId: state.partnerId,
          leadId: state.leadId,
          paymentId: state.paymentId,
          kind: 'reversal',
          amount: -step.amount,
          currency: state.currency,
          paidAt: refund.occurredAt,
          payableAt: refund.occurredAt,
          holdDays: 0,
          plan: null,
          planSource: null,
          basis: null,
          conversion: null,
          reversesCommissionId: ids.commissionId,
          reversalId: refund.reversalId,
          reason: refund.reason,
        },
      }
    : null;
  return { reversed, carried };
}

export function decideBecamePayable(state: CommissionState, ids: { commissionId: string; companyId: string }, now: Date): CommissionBecamePayable[] {
  if (!state.exists || state.status !== 'pending' || Date.parse(state.payableAt) > now.getTime()) return [];
  return [{ type: 'CommissionBecamePayable', data: { ...ids, partnerId: state.partnerId, payableAt: state.payableAt } }];
}
