import type { CommissionApproved, CommissionDeclined, CommissionState } from './commission.js';

export type ReviewAction = { action: 'approve' } | { action: 'decline'; reason: string };

/** Why a review is refused (409): where the commission stands makes it final. */
export type ReviewRefusal = {
  code: 'commission_invoiced' | 'commission_paid' | 'commission_reversed' | 'commission_declined' | 'commission_approved' | 'not_reviewable';
  detail: string;
};

/** Where invoicing has the commission (from the commissions read model): the commission's own stream does not know. */
export type InvoiceStanding = 'invoiced' | 'paid' | null;

/**
 * Approve or decline a commission (SPEC §11). In review: the event. The same review again changes nothing (idempotent);
 * an invoiced, paid or reversed commission, a reversal line, and the opposite of a review already made are refused.
 * A commission that never needed review is already approved: approving it is a no-op, declining it is refused.
 */
export function decideReview(
  state: CommissionState,
  ids: { commissionId: string; companyId: string },
  review: ReviewAction,
  now: Date,
  standing: InvoiceStanding,
): { events: (CommissionApproved | CommissionDeclined)[] } | { refused: ReviewRefusal } {
  const id = ids.commissionId;
  if (state.kind === 'reversal')
    return { refused: { code: 'not_reviewable', detail: `commission ${id} carries a refund of an invoiced commission; it is not reviewed` } };
  if (standing === 'paid') return { refused: { code: 'commission_paid', detail: `commission ${id} is paid` } };
  if (standing === 'invoiced') return { refused: { code: 'commission_invoiced', detail: `commission ${id} is on an invoice; void the invoice first` } };
  if (state.status === 'reversed')
    return { refused: { code: 'commission_reversed', detail: `commission ${id} was reversed in full (refund, dispute or plan limit)` } };
  const base = { ...ids, partnerId: state.partnerId, amount: state.amount, currency: state.currency };
  if (state.status === 'pending_review') {
    return review.action === 'approve'
      ? { events: [{ type: 'CommissionApproved', data: { ...base, payableAt: state.payableAt, approvedAt: now.toISOString() } }] }
      : { events: [{ type: 'CommissionDeclined', data: { ...base, reason: review.reason, declinedAt: now.toISOString() } }] };
  }
  if (state.status === 'declined') {
    return review.action === 'decline'
      ? { events: [] }
      : {
          refused: {
            code: 'commission_declined',
            detail: `commission ${id} was declined (${state.declineReason ?? 'no reason'}); a declined commission stays declined`,
          },
        };
  }
  return review.action === 'approve'
    ? { events: [] }
    : {
        refused: {
          code: 'commission_approved',
          detail: `commission ${id} is already approved${state.review === 'none' ? ' (it needed no review)' : ''}; only a commission in pending_review can be declined`,
        },
      };
}
