import { describe, it, expect } from '@jest/globals';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { fxRate } from '../../../libs/money/index.js';
import { addMonths, decideEarn, eligibility, evolveLeadPayments, initialLeadPayments, type AttributedPayment, type EarnContext, type LeadPayments } from './earning.js';
import type { CommissionEarned } from './commission.js';

const payment = (over: Partial<AttributedPayment> = {}): AttributedPayment => ({
  paymentId: 'py_1', companyId: 'co_1', leadId: 'ld_1', partnerId: 'pa_1', amount: 12000, tax: 2000, net: 10000, currency: 'usd', paidAt: '2025-01-10T00:00:00.000Z', ...over,
});
const ctx = (over: Partial<EarnContext> = {}): EarnContext => ({ payment: payment(), lead: initialLeadPayments, partnerPlan: null, companyPlan: { type: 'percentage', percent: 20 }, holdDays: 30, rate: null, ...over });
const counted = (lead: LeadPayments, paymentId: string, paidAt: string): LeadPayments =>
  evolveLeadPayments(lead, { type: 'LeadPaymentCounted', data: { paymentId, paidAt } } as unknown as RecordedEvent);
const earned = (d: ReturnType<typeof decideEarn>) => d!.earned[0] as CommissionEarned;

describe('earning a commission', () => {
  it('takes the percentage of the net (amount − tax), pending until paidAt + holdDays, recording the plan', () => {
    const d = decideEarn(ctx());
    expect(d!.counted.data).toEqual({ companyId: 'co_1', leadId: 'ld_1', partnerId: 'pa_1', paymentId: 'py_1', paidAt: '2025-01-10T00:00:00.000Z', commissionId: 'cm_py_1', skipped: null });
    expect(earned(d).data).toMatchObject({
      commissionId: 'cm_py_1', amount: 2000, currency: 'usd', kind: 'payment', payableAt: '2025-02-09T00:00:00.000Z', holdDays: 30,
      plan: { type: 'percentage', percent: 20 }, planSource: 'company', basis: { amount: 12000, tax: 2000, net: 10000, currency: 'usd' }, conversion: null,
    });
  });

  it('lets the partner plan override the company plan', () => {
    const d = decideEarn(ctx({ partnerPlan: { type: 'percentage', percent: 12.5 } }));
    expect(earned(d).data).toMatchObject({ amount: 1250, planSource: 'partner', plan: { type: 'percentage', percent: 12.5 } });
  });

  it('pays a flat plan in the payment currency as is', () => {
    expect(earned(decideEarn(ctx({ companyPlan: { type: 'flat', amount: 500, currency: 'usd' } }))).data).toMatchObject({ amount: 500, currency: 'usd', conversion: null });
  });

  it('converts a flat plan in another currency at the recorded rate of the payment date', () => {
    const rate = fxRate({ id: 'fxr_1:jpy', base: 'usd', quote: 'jpy', rate: '151.37', asOf: '2025-01-09T00:00:00.000Z', source: 'ecb' });
    const d = decideEarn(ctx({ payment: payment({ currency: 'jpy', amount: 10000, tax: 0, net: 10000 }), companyPlan: { type: 'flat', amount: 500, currency: 'usd' }, rate }));
    expect(earned(d).data).toMatchObject({ amount: 757, currency: 'jpy', conversion: { from: { amount: 500, currency: 'usd' }, rate: '151.37', rateId: 'fxr_1:jpy', source: 'ecb', inverted: false } });
  });

  it('keeps a flat plan in its own currency when no rate exists, never guessing 1.0', () => {
    const d = decideEarn(ctx({ payment: payment({ currency: 'eur' }), companyPlan: { type: 'flat', amount: 500, currency: 'usd' }, rate: null }));
    expect(earned(d).data).toMatchObject({ amount: 500, currency: 'usd', conversion: null });
  });

  it('counts a payment once: a redelivered attribution decides nothing', () => {
    expect(decideEarn(ctx({ lead: counted(initialLeadPayments, 'py_1', '2025-01-10T00:00:00.000Z') }))).toBeNull();
  });

  it('firstPaymentOnly: only the lead’s earliest payment earns; later ones are counted as skipped', () => {
    const plan = { type: 'percentage' as const, percent: 20, firstPaymentOnly: true };
    const first = decideEarn(ctx({ companyPlan: plan }));
    expect(first!.earned).toHaveLength(1);
    const second = decideEarn(ctx({ companyPlan: plan, payment: payment({ paymentId: 'py_2', paidAt: '2025-02-10T00:00:00.000Z' }), lead: counted(initialLeadPayments, 'py_1', '2025-01-10T00:00:00.000Z') }));
    expect(second).toEqual({ counted: expect.objectContaining({ data: expect.objectContaining({ paymentId: 'py_2', commissionId: null, skipped: 'not_first_payment' }) }), earned: [] });
  });

  it('durationMonths: payments within N months of the first payment earn, later ones do not', () => {
    const plan = { type: 'percentage' as const, percent: 20, durationMonths: 2 };
    const lead = counted(initialLeadPayments, 'py_1', '2025-01-31T00:00:00.000Z');
    const at = (paidAt: string) => decideEarn(ctx({ companyPlan: plan, lead, payment: payment({ paymentId: 'py_x', paidAt }) }))!.counted.data.skipped;
    expect(at('2025-03-30T23:59:59.000Z')).toBeNull();
    expect(at('2025-03-31T00:00:00.000Z')).toBe('outside_duration');
  });

  it('skips a zero commission', () => {
    expect(decideEarn(ctx({ payment: payment({ amount: 2, tax: 0, net: 2 }), companyPlan: { type: 'percentage', percent: 10 } }))!.counted.data.skipped).toBe('zero_amount');
  });

  it('reduces at once by a refund that preceded a retroactive attribution', () => {
    const d = decideEarn(ctx({ payment: payment({ refundedAmount: 3000 }) }));
    expect(d!.earned.map((e) => e.type)).toEqual(['CommissionEarned', 'CommissionReversed']);
    expect(d!.earned[1]!.data).toMatchObject({ amount: 500, reversedTotal: 500, mode: 'reduced', reversalId: 'before_attribution' });
  });
});

describe('commission rounding per currency (half-even in minor units, never scaled by the exponent)', () => {
  it.each([
    // currency, amount, tax, percent, commission
    ['usd', 12000, 2000, 20, 2000], // 100.00 net → 20.00
    ['usd', 1001, 0, 12.5, 125], // 125.125 → 125
    ['usd', 1003, 0, 12.5, 125], // 125.375 → 125
    ['usd', 1005, 0, 10, 100], // 100.5 tie → 100
    ['usd', 1015, 0, 10, 102], // 101.5 tie → 102
    ['jpy', 10000, 0, 20, 2000], // ¥10000 → ¥2000, not ¥20
    ['jpy', 999, 99, 15, 135], // ¥900 net → ¥135
    ['jpy', 25, 0, 10, 2], // ¥2.5 tie → ¥2
    ['kwd', 10000, 0, 20, 2000], // 10.000 KWD → 2.000 KWD, not 20.00
    ['kwd', 12345, 345, 7.5, 900], // 12.000 net → 0.900
    ['kwd', 35, 0, 10, 4], // 3.5 fils tie → 4
  ])('%s %p − tax %p at %p%% → %p', (currency, amount, tax, percent, expected) => {
    const d = decideEarn(ctx({ payment: payment({ currency, amount, tax, net: amount - tax }), companyPlan: { type: 'percentage', percent } }));
    expect(earned(d).data).toMatchObject({ amount: expected, currency });
  });
});

describe('plan limits', () => {
  it('adds calendar months, clamping to the month’s last day', () => {
    expect(addMonths('2025-01-31T10:00:00.000Z', 1).toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(addMonths('2024-01-31T00:00:00.000Z', 1).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(addMonths('2025-11-15T00:00:00.000Z', 3).toISOString()).toBe('2026-02-15T00:00:00.000Z');
  });

  it('treats an earlier-paid payment arriving late as first for the window', () => {
    const lead = counted(initialLeadPayments, 'py_2', '2025-05-01T00:00:00.000Z');
    expect(eligibility({ type: 'percentage', percent: 5, firstPaymentOnly: true }, '2025-04-01T00:00:00.000Z', lead)).toBeNull();
    expect(eligibility({ type: 'percentage', percent: 5, durationMonths: 1 }, '2025-04-01T00:00:00.000Z', lead)).toBeNull();
  });
});
