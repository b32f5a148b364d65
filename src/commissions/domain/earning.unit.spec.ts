import { describe, it, expect } from '@jest/globals';
import {
  addMonths,
  decideEarn,
  eligibility,
  evolveLeadPayments,
  initialLeadPayments,
  type AttributedPayment,
  type EarnContext,
  type LeadPayments,
  type PlanLimits,
} from './earning.js';
import type { CommissionEarned } from './commission.js';

const payment = (over: Partial<AttributedPayment> = {}): AttributedPayment => ({
  paymentId: 'py_1',
  companyId: 'co_1',
  leadId: 'ld_1',
  partnerId: 'pa_1',
  amount: 12000,
  tax: 2000,
  net: 10000,
  currency: 'usd',
  paidAt: '2025-01-10T00:00:00.000Z',
  ...over,
});
const ctx = (over: Partial<EarnContext> = {}): EarnContext => ({
  payment: payment(),
  lead: initialLeadPayments,
  partnerPlan: null,
  companyPlan: { type: 'percentage', percent: 20 },
  holdDays: 30,
  ...over,
});
const counted = (lead: LeadPayments, paymentId: string, paidAt: string, limits: PlanLimits | null = null): LeadPayments =>
  evolveLeadPayments(lead, {
    type: 'LeadPaymentCounted',
    data: { paymentId, paidAt, commissionId: `cm_${paymentId}`, skipped: null, limits },
  });
const earned = (d: ReturnType<typeof decideEarn>) => d!.earned[0] as CommissionEarned;

describe('earning a commission', () => {
  it('takes the percentage of the net (amount − tax), pending until paidAt + holdDays, recording the plan', () => {
    const d = decideEarn(ctx());
    expect(d!.counted.data).toEqual({
      companyId: 'co_1',
      leadId: 'ld_1',
      partnerId: 'pa_1',
      paymentId: 'py_1',
      paidAt: '2025-01-10T00:00:00.000Z',
      commissionId: 'cm_py_1',
      skipped: null,
      limits: null,
    });
    expect(earned(d).data).toMatchObject({
      commissionId: 'cm_py_1',
      amount: 2000,
      currency: 'usd',
      kind: 'payment',
      payableAt: '2025-02-09T00:00:00.000Z',
      holdDays: 30,
      plan: { type: 'percentage', percent: 20 },
      planSource: 'company',
      basis: { amount: 12000, tax: 2000, net: 10000, currency: 'usd' },
      conversion: null,
    });
  });

  it('lets the partner plan override the company plan', () => {
    const d = decideEarn(ctx({ partnerPlan: { type: 'percentage', percent: 12.5 } }));
    expect(earned(d).data).toMatchObject({ amount: 1250, planSource: 'partner', plan: { type: 'percentage', percent: 12.5 } });
  });

  it('pays a flat plan in the payment currency as is', () => {
    expect(earned(decideEarn(ctx({ companyPlan: { type: 'flat', amount: 500, currency: 'usd' } }))).data).toMatchObject({
      amount: 500,
      currency: 'usd',
      conversion: null,
    });
  });

  it('keeps a flat plan in its own currency whatever the payment currency: converted once, on the invoice', () => {
    const d = decideEarn(
      ctx({ payment: payment({ currency: 'jpy', amount: 10000, tax: 0, net: 10000 }), companyPlan: { type: 'flat', amount: 500, currency: 'usd' } }),
    );
    expect(earned(d).data).toMatchObject({ amount: 500, currency: 'usd', conversion: null, basis: { amount: 10000, currency: 'jpy' } });
  });

  it('counts a payment once: a redelivered attribution decides nothing', () => {
    expect(decideEarn(ctx({ lead: counted(initialLeadPayments, 'py_1', '2025-01-10T00:00:00.000Z') }))).toBeNull();
  });

  it('firstPaymentOnly: only the lead’s earliest payment earns; later ones are counted as skipped', () => {
    const plan = { type: 'percentage' as const, percent: 20, firstPaymentOnly: true };
    const first = decideEarn(ctx({ companyPlan: plan }));
    expect(first!.earned).toHaveLength(1);
    const second = decideEarn(
      ctx({
        companyPlan: plan,
        payment: payment({ paymentId: 'py_2', paidAt: '2025-02-10T00:00:00.000Z' }),
        lead: counted(initialLeadPayments, 'py_1', '2025-01-10T00:00:00.000Z'),
      }),
    );
    expect(second).toEqual({
      counted: expect.objectContaining({ data: expect.objectContaining({ paymentId: 'py_2', commissionId: null, skipped: 'not_first_payment' }) }),
      earned: [],
      revoked: [],
    });
  });

  it('durationMonths: payments within N months of the first payment earn, later ones do not', () => {
    const plan = { type: 'percentage' as const, percent: 20, durationMonths: 2 };
    const lead = counted(initialLeadPayments, 'py_1', '2025-01-31T00:00:00.000Z');
    const at = (paidAt: string) => decideEarn(ctx({ companyPlan: plan, lead, payment: payment({ paymentId: 'py_x', paidAt }) }))!.counted.data.skipped;
    expect(at('2025-03-30T23:59:59.000Z')).toBeNull();
    expect(at('2025-03-31T00:00:00.000Z')).toBe('outside_duration');
  });

  it('skips a zero commission', () => {
    expect(decideEarn(ctx({ payment: payment({ amount: 2, tax: 0, net: 2 }), companyPlan: { type: 'percentage', percent: 10 } }))!.counted.data.skipped).toBe(
      'zero_amount',
    );
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

  it('decides "first" on payment time, tie broken by payment id, not on processing order', () => {
    const lead = counted(initialLeadPayments, 'py_2', '2025-05-01T00:00:00.000Z');
    expect(eligibility({ firstPaymentOnly: true }, { paymentId: 'py_1', paidAt: '2025-04-01T00:00:00.000Z' }, lead.payments)).toBeNull();
    expect(
      eligibility({ firstPaymentOnly: true }, { paymentId: 'py_2', paidAt: '2025-05-01T00:00:00.000Z' }, [
        ...lead.payments,
        { paymentId: 'py_1', paidAt: '2025-04-01T00:00:00.000Z' },
      ]),
    ).toBe('not_first_payment');
    expect(eligibility({ firstPaymentOnly: true }, { paymentId: 'py_0', paidAt: '2025-05-01T00:00:00.000Z' }, lead.payments)).toBeNull();
    expect(eligibility({ durationMonths: 1 }, { paymentId: 'py_1', paidAt: '2025-04-01T00:00:00.000Z' }, lead.payments)).toBeNull();
  });
});

describe('retroactive attribution of an earlier payment (a lead’s history counted out of order)', () => {
  const flatFirst = { type: 'flat' as const, amount: 700, currency: 'usd', firstPaymentOnly: true };

  it('firstPaymentOnly: the earlier payment earns and the later one’s commission is revoked, so the plan never pays twice', () => {
    const lead = counted(initialLeadPayments, 'py_2', '2025-02-10T00:00:00.000Z', { firstPaymentOnly: true });
    const d = decideEarn(ctx({ companyPlan: flatFirst, lead, payment: payment({ paymentId: 'py_1', paidAt: '2025-01-10T00:00:00.000Z' }) }))!;
    expect(d.counted.data).toMatchObject({ paymentId: 'py_1', commissionId: 'cm_py_1', skipped: null, limits: { firstPaymentOnly: true } });
    expect(d.earned[0]!.data).toMatchObject({ amount: 700, currency: 'usd' });
    expect(d.revoked).toEqual([
      {
        type: 'LeadCommissionRevoked',
        data: {
          companyId: 'co_1',
          leadId: 'ld_1',
          partnerId: 'pa_1',
          paymentId: 'py_2',
          commissionId: 'cm_py_2',
          reason: 'not_first_payment',
          displacedBy: 'py_1',
        },
      },
    ]);
    const after = evolveLeadPayments(evolveLeadPayments(lead, d.counted), d.revoked[0]!);
    const third = decideEarn(ctx({ companyPlan: flatFirst, lead: after, payment: payment({ paymentId: 'py_0', paidAt: '2025-01-01T00:00:00.000Z' }) }))!;
    expect(third.revoked.map((r) => r.data.paymentId)).toEqual(['py_1']);
  });

  it('durationMonths: an earlier first payment moves the window, and later commissions now outside it are revoked', () => {
    const limits = { durationMonths: 2 };
    let lead = counted(initialLeadPayments, 'py_mar', '2025-03-15T00:00:00.000Z', limits);
    lead = counted(lead, 'py_may', '2025-05-10T00:00:00.000Z', limits);
    const d = decideEarn(
      ctx({
        companyPlan: { type: 'percentage', percent: 20, durationMonths: 2 },
        lead,
        payment: payment({ paymentId: 'py_jan', paidAt: '2025-01-20T00:00:00.000Z' }),
      }),
    )!;
    expect(d.counted.data.skipped).toBeNull();
    expect(d.revoked.map((r) => [r.data.paymentId, r.data.reason])).toEqual([['py_may', 'outside_duration']]);
  });

  it('revokes by the plan each commission was earned under, and a payment skipped as not first revokes nothing', () => {
    const lead = counted(initialLeadPayments, 'py_2', '2025-02-10T00:00:00.000Z', null);
    expect(decideEarn(ctx({ companyPlan: flatFirst, lead, payment: payment({ paymentId: 'py_1', paidAt: '2025-01-10T00:00:00.000Z' }) }))!.revoked).toEqual([]);
    const first = counted(initialLeadPayments, 'py_1', '2025-01-10T00:00:00.000Z', { firstPaymentOnly: true });
    const late = decideEarn(ctx({ companyPlan: flatFirst, lead: first, payment: payment({ paymentId: 'py_3', paidAt: '2025-03-10T00:00:00.000Z' }) }))!;
    expect(late).toMatchObject({ counted: { data: { skipped: 'not_first_payment', commissionId: null } }, earned: [], revoked: [] });
  });
});
