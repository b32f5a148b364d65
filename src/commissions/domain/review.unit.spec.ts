import { describe, it, expect } from '@jest/globals';
import { decideReversal, evolveCommission, initialCommission, type CommissionEarned, type CommissionEvent } from './commission.js';
import { decideReview } from './review.js';

const ids = { commissionId: 'cm_1', companyId: 'co_1' };
const NOW = new Date('2025-02-01T00:00:00.000Z');
const earned = (review?: CommissionEarned['data']['review'], kind: 'payment' | 'reversal' = 'payment'): CommissionEarned => ({
  type: 'CommissionEarned',
  data: {
    commissionId: 'cm_1',
    companyId: 'co_1',
    partnerId: 'pa_1',
    leadId: 'ld_1',
    paymentId: 'py_1',
    kind,
    amount: 2000,
    currency: 'usd',
    paidAt: '2025-01-01T00:00:00.000Z',
    payableAt: '2025-01-31T00:00:00.000Z',
    holdDays: 30,
    plan: null,
    planSource: null,
    basis: { amount: 10000, tax: 0, net: 10000, currency: 'usd' },
    conversion: null,
    reversesCommissionId: null,
    reversalId: null,
    reason: null,
    ...(review && { review }),
  },
});
const given = (...events: CommissionEvent[]) => events.reduce(evolveCommission, initialCommission);
const inReview = earned({ required: true, mode: 'manual', flags: [] });
const approve = { action: 'approve' as const };
const decline = { action: 'decline' as const, reason: 'self-referral' };

describe('commission review decider (SPEC §11)', () => {
  it('a commission held for review starts pending_review', () => {
    expect(given(inReview).status).toBe('pending_review');
    expect(given(earned({ required: false, mode: 'auto', flags: [] })).status).toBe('pending');
    expect(given(earned()).status).toBe('pending');
  });

  it('approve: CommissionApproved with the amount it is worth now and its payableAt; then pending (the hold period as before)', () => {
    const d = decideReview(given(inReview), ids, approve, NOW, null);
    expect(d).toEqual({
      events: [
        {
          type: 'CommissionApproved',
          data: { ...ids, partnerId: 'pa_1', amount: 2000, currency: 'usd', payableAt: '2025-01-31T00:00:00.000Z', approvedAt: NOW.toISOString() },
        },
      ],
    });
    expect(given(inReview, ...(d as { events: CommissionEvent[] }).events).status).toBe('pending');
  });

  it('decline: CommissionDeclined with the reason; then declined', () => {
    const d = decideReview(given(inReview), ids, decline, NOW, null) as { events: CommissionEvent[] };
    expect(d.events).toEqual([
      {
        type: 'CommissionDeclined',
        data: { ...ids, partnerId: 'pa_1', amount: 2000, currency: 'usd', reason: 'self-referral', declinedAt: NOW.toISOString() },
      },
    ]);
    expect(given(inReview, ...d.events)).toMatchObject({ status: 'declined', declineReason: 'self-referral' });
  });

  it('the same review twice changes nothing', () => {
    const approved = given(inReview, {
      type: 'CommissionApproved',
      data: { ...ids, partnerId: 'pa_1', amount: 2000, currency: 'usd', payableAt: 'x', approvedAt: 'y' },
    });
    expect(decideReview(approved, ids, approve, NOW, null)).toEqual({ events: [] });
    const declined = given(inReview, {
      type: 'CommissionDeclined',
      data: { ...ids, partnerId: 'pa_1', amount: 2000, currency: 'usd', reason: 'r', declinedAt: 'y' },
    });
    expect(decideReview(declined, ids, decline, NOW, null)).toEqual({ events: [] });
  });

  it('the opposite review is refused: a decline is final, an approved commission cannot be declined', () => {
    const declined = given(inReview, {
      type: 'CommissionDeclined',
      data: { ...ids, partnerId: 'pa_1', amount: 2000, currency: 'usd', reason: 'r', declinedAt: 'y' },
    });
    expect(decideReview(declined, ids, approve, NOW, null)).toMatchObject({ refused: { code: 'commission_declined' } });
    expect(decideReview(given(earned()), ids, decline, NOW, null)).toMatchObject({
      refused: { code: 'commission_approved', detail: expect.stringContaining('needed no review') },
    });
    expect(decideReview(given(earned()), ids, approve, NOW, null)).toEqual({ events: [] });
  });

  it('invoiced, paid, reversed and reversal commissions are refused with the reason', () => {
    expect(decideReview(given(earned()), ids, approve, NOW, 'invoiced')).toMatchObject({
      refused: { code: 'commission_invoiced', detail: expect.stringContaining('void the invoice') },
    });
    expect(decideReview(given(earned()), ids, decline, NOW, 'paid')).toMatchObject({ refused: { code: 'commission_paid' } });
    const state = given(inReview);
    const full = decideReversal(state, ids, { reversalId: 're_1', reason: 'refund', refundedTotal: 10000, occurredAt: '2025-01-05T00:00:00.000Z' }, false)!;
    expect(decideReview(given(inReview, full.reversed), ids, approve, NOW, null)).toMatchObject({ refused: { code: 'commission_reversed' } });
    expect(decideReview(given(earned(undefined, 'reversal')), ids, approve, NOW, null)).toMatchObject({ refused: { code: 'not_reviewable' } });
  });

  it('a refund in review is marked underReview; a declined commission has nothing left to reverse', () => {
    const d = decideReversal(
      given(inReview),
      ids,
      { reversalId: 're_1', reason: 'refund', refundedTotal: 5000, occurredAt: '2025-01-05T00:00:00.000Z' },
      false,
    )!;
    expect(d.reversed.data).toMatchObject({ amount: 1000, remaining: 1000, underReview: true });
    const declined = given(inReview, {
      type: 'CommissionDeclined',
      data: { ...ids, partnerId: 'pa_1', amount: 2000, currency: 'usd', reason: 'r', declinedAt: 'y' },
    });
    expect(
      decideReversal(declined, ids, { reversalId: 're_2', reason: 'refund', refundedTotal: 5000, occurredAt: '2025-01-05T00:00:00.000Z' }, false),
    ).toBeNull();
  });
});
