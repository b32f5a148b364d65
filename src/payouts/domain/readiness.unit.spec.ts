import { describe, it, expect } from '@jest/globals';
import { readiness, readinessChecks, type ReadinessFacts } from './readiness.js';

const schedule = { frequency: 'monthly' as const, day: 1, holdDays: 30, minimumPayout: 0 };
const nothing: ReadinessFacts = {
  leads: 0,
  payments: { attributed: 0, revenue: [] },
  account: null,
  bankDetails: false,
  card: null,
  invoices: { counts: {}, latest: null },
  schedule: { configured: false, current: schedule },
};
const everything: ReadinessFacts = {
  leads: 2,
  payments: { attributed: 3, revenue: [{ currency: 'usd', amount: 9000 }] },
  account: { id: 'acct_1', payoutsEnabled: true, detailsSubmitted: true, transfersActive: true },
  bankDetails: true,
  card: { brand: 'visa', last4: '4242' },
  invoices: { counts: { paid: 1 }, latest: { id: 'in_1', number: 'INV-1', status: 'paid', failureReason: null } },
  schedule: { configured: true, current: schedule },
};

describe('payout readiness checklist', () => {
  it('lists the seed’s checks in order; with nothing set up every one fails with a fix', () => {
    const checks = readinessChecks(nothing);
    expect(checks.map((c) => c.id)).toEqual([
      'payments_attributed',
      'lead_linked',
      'revenue_present',
      'connected_account',
      'bank_details',
      'company_card',
      'payout_method',
      'invoice_status',
      'schedule_configured',
    ]);
    for (const c of checks) {
      expect(c.ok).toBe(false);
      expect(c.fix).toEqual(expect.any(String));
      expect(c.detail).toEqual(expect.any(String));
    }
  });

  it('passes every check when everything is set up, with no fix', () => {
    const checks = readinessChecks(everything);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.every((c) => c.fix === null)).toBe(true);
    expect(checks.find((c) => c.id === 'company_card')!.detail).toBe('visa ending 4242');
  });

  it('an account without payouts enabled fails with the onboarding fix', () => {
    const c = readinessChecks({ ...everything, account: { id: 'acct_1', payoutsEnabled: false, detailsSubmitted: false, transfersActive: false } }).find(
      (x) => x.id === 'connected_account',
    )!;
    expect(c).toMatchObject({ ok: false, detail: expect.stringContaining('not enabled') });
    expect(c.fix).toMatch(/finish Stripe onboarding/);
  });

  it('payouts enabled is not enough: the transfers capability must be active', () => {
    const inactive = readinessChecks({ ...everything, account: { id: 'acct_1', payoutsEnabled: true, detailsSubmitted: true, transfersActive: false } }).find(
      (x) => x.id === 'connected_account',
    )!;
    expect(inactive).toMatchObject({ ok: false, detail: 'Stripe account acct_1: payouts enabled, transfers not active' });
    const unknown = readinessChecks({ ...everything, account: { id: 'acct_1', payoutsEnabled: true, detailsSubmitted: true, transfersActive: null } }).find(
      (x) => x.id === 'connected_account',
    )!;
    expect(unknown).toMatchObject({ ok: false, detail: expect.stringContaining('transfers capability not known yet') });
  });

  it('no card, but a saved payment method that is not one: says which', () => {
    const c = readinessChecks({ ...everything, card: null, refusedMethod: { id: 'pm_bank', type: 'us_bank_account' } }).find((x) => x.id === 'company_card')!;
    expect(c).toMatchObject({ ok: false, detail: 'no payment card: the saved payment method pm_bank is a us_bank_account, which Pay cannot charge' });
  });

  it('a failed invoice fails with its reason and the pay link', () => {
    const c = readinessChecks({
      ...everything,
      invoices: {
        counts: { paid: 1, payment_failed: 1 },
        latest: { id: 'in_2', number: 'INV-2', status: 'payment_failed', failureReason: 'The card was declined' },
      },
    }).find((x) => x.id === 'invoice_status')!;
    expect(c.ok).toBe(false);
    expect(c.fix).toContain('The card was declined');
    expect(c.fix).toContain('/v1/invoices/in_2/pay');
  });

  it('an invoice waiting for approval fails with the approve link', () => {
    const c = readinessChecks({
      ...everything,
      invoices: { counts: { pending_approval: 1 }, latest: { id: 'in_3', number: 'INV-3', status: 'pending_approval', failureReason: null } },
    }).find((x) => x.id === 'invoice_status')!;
    expect(c).toMatchObject({ ok: false, fix: expect.stringContaining('/v1/invoices/in_3/approve') });
  });

  it('is ready with Connect (and the company card) or with bank details: one payout route, not both', () => {
    const connectOnly = { ...everything, bankDetails: false };
    const bankOnly = { ...everything, account: null, card: null };
    expect(readiness(connectOnly).ready).toBe(true);
    expect(readiness(bankOnly).ready).toBe(true);
    expect(readiness(bankOnly).checks.find((c) => c.id === 'payout_method')).toMatchObject({
      ok: true,
      required: true,
      detail: expect.stringContaining('bank details'),
    });
    expect(readiness(bankOnly).checks.find((c) => c.id === 'connected_account')).toMatchObject({ ok: false, required: false });
    const neither = readiness({ ...everything, bankDetails: false, card: null });
    expect(neither.ready).toBe(false);
    expect(neither.checks.find((c) => c.id === 'payout_method')).toMatchObject({ ok: false, fix: expect.stringContaining('bank details') });
  });
});
