import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  decideBecamePayable,
  decideReversal,
  evolveCommission,
  initialCommission,
  type CommissionEarned,
  type CommissionState,
  type Refund,
} from './commission.js';

const ids = { commissionId: 'cm_py_1', companyId: 'co_1' };
const earnedEvent = (amount: number, paymentAmount: number, currency = 'usd'): CommissionEarned => ({
  type: 'CommissionEarned',
  data: {
    ...ids,
    partnerId: 'pa_1',
    leadId: 'ld_1',
    paymentId: 'py_1',
    kind: 'payment',
    amount,
    currency,
    paidAt: '2025-01-01T00:00:00.000Z',
    payableAt: '2025-01-31T00:00:00.000Z',
    holdDays: 30,
    plan: { type: 'percentage', percent: 20 },
    planSource: 'company',
    basis: { amount: paymentAmount, tax: 0, net: paymentAmount, currency },
    conversion: null,
    reversesCommissionId: null,
    reversalId: null,
    reason: null,
  },
});
const given = (amount: number, paymentAmount: number, currency = 'usd') => evolveCommission(initialCommission, earnedEvent(amount, paymentAmount, currency));
const refund = (reversalId: string, refundedTotal: number): Refund => ({ reversalId, reason: 'refund', refundedTotal, occurredAt: '2025-01-05T00:00:00.000Z' });

function applyRefunds(state: CommissionState, totals: number[], invoiced = false) {
  let s = state;
  const carried: number[] = [];
  totals.forEach((total, i) => {
    const d = decideReversal(s, ids, refund(`re_${i}`, total), invoiced);
    if (!d) return;
    s = evolveCommission(s, d.reversed);
    if (d.carried) carried.push(d.carried.data.amount);
  });
  return { state: s, carried };
}

describe('commission reversals', () => {
  it('reduces a pending commission by the refund’s share of the payment (30% refund → 30% of the commission)', () => {
    const d = decideReversal(given(2000, 10000), ids, refund('re_1', 3000), false)!;
    expect(d.carried).toBeNull();
    expect(d.reversed.data).toMatchObject({ amount: 600, reversedTotal: 600, refundedTotal: 3000, mode: 'reduced', carriedBy: null });
    expect(evolveCommission(given(2000, 10000), d.reversed)).toMatchObject({ amount: 1400, reversedTotal: 600, status: 'pending' });
  });

  it('computes repeated partial refunds cumulatively, so the total is exactly commission × refundedTotal / amount', () => {
    const { state } = applyRefunds(given(1000, 3000), [1000, 2000, 3000]);
    expect(state).toMatchObject({ amount: 0, reversedTotal: 1000, status: 'reversed' });
  });

  it('ignores a redelivered reversal and a cumulative total already covered', () => {
    const first = applyRefunds(given(2000, 10000), [5000]).state;
    expect(decideReversal(first, ids, refund('re_0', 5000), false)).toBeNull();
    expect(decideReversal(first, ids, refund('re_late', 3000), false)).toBeNull();
  });

  it('carries the reversal of an invoiced commission as a negative, immediately payable commission', () => {
    const d = decideReversal(given(2000, 10000), ids, refund('re_1', 10000), true)!;
    expect(d.reversed.data).toMatchObject({ mode: 'carried', carriedBy: 'cm_py_1_re_1', amount: 2000 });
    expect(d.carried!.data).toMatchObject({
      commissionId: 'cm_py_1_re_1',
      kind: 'reversal',
      amount: -2000,
      payableAt: '2025-01-05T00:00:00.000Z',
      reversesCommissionId: 'cm_py_1',
    });
    expect(evolveCommission(given(2000, 10000), d.reversed)).toMatchObject({ amount: 2000, reversedTotal: 2000, status: 'pending' });
  });

  it('reduces by this step only when an earlier step was carried (invoiced, then the invoice voided)', () => {
    const carried = decideReversal(given(3, 10), ids, refund('re_1', 2), true)!;
    expect(carried.carried!.data.amount).toBe(-1);
    const afterVoid = evolveCommission(given(3, 10), carried.reversed);
    const reduced = decideReversal(afterVoid, ids, refund('re_2', 5), false)!;
    expect(reduced.reversed.data).toMatchObject({ amount: 1, reversedTotal: 2, remaining: 2, mode: 'reduced' });
    expect(evolveCommission(afterVoid, reduced.reversed).amount + carried.carried!.data.amount).toBe(3 - 2);
  });

  it.each([
    // currency, commission, payment amount, refunded, reversed (half-even)
    ['usd', 2000, 10000, 3333, 667],
    ['usd', 5, 2, 1, 2],
    ['jpy', 300, 1000, 500, 150],
    ['jpy', 3, 2, 1, 2],
    ['kwd', 1234, 10000, 5000, 617],
    ['kwd', 5, 2, 1, 2],
  ])('rounds half-even in minor units of %s: %p × %p/%p → %p', (currency, amount, paymentAmount, refunded, expected) => {
    expect(decideReversal(given(amount, paymentAmount, currency), ids, refund('re_1', refunded), false)!.reversed.data.amount).toBe(expected);
  });

  it('never reverses more than the commission, whatever the refund sequence (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 7 }),
        fc.integer({ min: 1, max: 10 ** 8 }),
        fc.array(fc.integer({ min: 0, max: 2 * 10 ** 8 }), { maxLength: 8 }),
        fc.boolean(),
        (amount, paymentAmount, totals, invoiced) => {
          const { state, carried } = applyRefunds(given(amount, paymentAmount), totals, invoiced);
          const reversed = invoiced ? 0 - carried.reduce((a, b) => a + b, 0) : amount - state.amount;
          expect(reversed).toEqual(state.reversedTotal);
          expect(state.reversedTotal).toBeLessThanOrEqual(amount);
          expect(state.amount).toBeGreaterThanOrEqual(0);
          const maxTotal = Math.min(Math.max(0, ...totals), paymentAmount);
          expect(Math.abs(state.reversedTotal * paymentAmount - amount * maxTotal)).toBeLessThanOrEqual(paymentAmount / 2);
        },
      ),
    );
  });
});

describe('becoming payable', () => {
  it('moves a pending commission once its payableAt has passed, and only then', () => {
    const state = given(2000, 10000);
    expect(decideBecamePayable(state, ids, new Date('2025-01-30T23:59:59Z'))).toEqual([]);
    const events = decideBecamePayable(state, ids, new Date('2025-01-31T00:00:00Z'));
    expect(events).toEqual([{ type: 'CommissionBecamePayable', data: { ...ids, partnerId: 'pa_1', payableAt: '2025-01-31T00:00:00.000Z' } }]);
    expect(decideBecamePayable(evolveCommission(state, events[0]!), ids, new Date('2025-02-01T00:00:00Z'))).toEqual([]);
  });
});
