import { describe, it, expect } from '@jest/globals';
import {
  evolveInvoice,
  initialInvoice,
  decideIntentOutcome,
  decideStartPayout as decideWith,
  failureReason,
  payoutCharge,
  type PreparedAttempt,
} from '../../invoicing/index.js';
import { DomainError } from '../../../libs/http/domain-error.js';
import { decideResume, paymentIntentParams, RESUME_AFTER_MS } from './payout-attempt.js';
import type { StripeFeeSetting } from '../../../libs/config/stripe-settings.js';
import { given } from './testing/test-events.js';

const ids = { invoiceId: 'in_1', companyId: 'co_1' };
const generated = [
  'InvoiceGenerated',
  { ...ids, partnerId: 'pa_1', number: 'INV-1', currency: 'eur', total: 12345, lines: [], periodStart: '2025-01-01', periodEnd: '2025-02-01' },
] as [string, Record<string, unknown>];
const approved = given(initialInvoice, evolveInvoice, generated, ['InvoiceApproved', { ...ids, partnerId: 'pa_1' }]);
const ready = { customerId: 'cus_1', paymentMethodId: 'pm_1', accountId: 'acct_1', payoutsEnabled: true, transfersActive: true };
const PLATFORM_PAYS: StripeFeeSetting = { payer: 'platform' };
const COMPANY_PAYS: StripeFeeSetting = { payer: 'company', percent: '2.9', fixed: { eur: 25, usd: 30 } };
const decideStartPayout = (
  state: Parameters<typeof decideWith>[0],
  i: typeof ids,
  pre: Parameters<typeof decideWith>[2],
  fees: StripeFeeSetting = PLATFORM_PAYS,
) => decideWith(state, i, pre, fees);
const started = (attempt = 1) =>
  ['InvoicePaymentStarted', { ...ids, partnerId: 'pa_1', attempt, idempotencyKey: `pf-invoice-in_1-attempt-${attempt}` }] as [string, Record<string, unknown>];
const processing = given(approved, evolveInvoice, started());

const thrown = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
};

describe('starting a payout', () => {
  it('starts attempt 1 and, in the same append, freezes what Stripe gets', () => {
    const d = decideStartPayout(approved, ids, ready);
    expect(d.events).toEqual([
      { type: 'InvoicePaymentStarted', data: { ...ids, partnerId: 'pa_1', attempt: 1, idempotencyKey: 'pf-invoice-in_1-attempt-1' } },
      { type: 'PayoutAttemptPrepared', data: d.attempt },
    ]);
    expect(d.attempt).toMatchObject({ amount: 12345, transferAmount: 12345, paymentMethodTypes: ['card'], fee: { payer: 'platform' } });
    expect(paymentIntentParams(d.attempt)).toEqual({
      amount: 12345,
      currency: 'eur',
      customer: 'cus_1',
      payment_method: 'pm_1',
      confirm: true,
      off_session: true,
      allowed_payment_method_types: ['card'],
      transfer_data: { destination: 'acct_1' },
      metadata: { invoiceId: 'in_1', companyId: 'co_1', partnerId: 'pa_1', attempt: '1' },
    });
  });

  it('the company bears Stripe’s fee: the charge is grossed up, the transfer is the invoice total, the figures are recorded', () => {
    const d = decideStartPayout(approved, ids, ready, COMPANY_PAYS);
    // 2.9 % of 12739 is 369.43 → 369; + 25 = 394; 12739 − 394 = 12345 exactly (12738 would leave 12344).
    expect(d.attempt).toMatchObject({ amount: 12739, transferAmount: 12345, fee: { payer: 'company', percent: '2.9', fixed: 25, estimatedFee: 394 } });
    expect(paymentIntentParams(d.attempt)).toMatchObject({ amount: 12739, transfer_data: { destination: 'acct_1', amount: 12345 } });
  });

  it('a grossed-up charge in a currency Stripe charges in steps (isk: multiples of 100) goes up to the next step', () => {
    const { amount, transferAmount, fee } = payoutCharge(100_000, 'isk', { payer: 'company', percent: '2.9', fixed: { isk: 0 } });
    // 100000 / 0.971 = 102986.6… → 102987 leaves the total; Stripe takes isk in hundreds: 103000.
    expect([amount, transferAmount]).toEqual([103_000, 100_000]);
    expect(fee).toEqual({ payer: 'company', percent: '2.9', fixed: 0, estimatedFee: 2987 });
  });

  it('refuses a currency the company-borne fee has no fixed fee for (422, naming it), before appending anything', () => {
    const e = thrown(() => decideStartPayout(approved, ids, ready, { payer: 'company', percent: '2.9', fixed: { usd: 30 } }));
    expect([e.status, e.code, e.extra.currency]).toEqual([422, 'fee_not_configured', 'eur']);
  });

  it('resends an attempt prepared before cards-only and fee settings exactly as first sent', () => {
    const legacy: PreparedAttempt = {
      ...ids,
      partnerId: 'pa_1',
      attempt: 1,
      idempotencyKey: 'k',
      amount: 500,
      currency: 'eur',
      customerId: 'cus_1',
      paymentMethodId: 'pm_1',
      destinationAccountId: 'acct_1',
    };
    expect(paymentIntentParams(legacy)).toEqual({
      amount: 500,
      currency: 'eur',
      customer: 'cus_1',
      payment_method: 'pm_1',
      confirm: true,
      off_session: true,
      transfer_data: { destination: 'acct_1' },
      metadata: { invoiceId: 'in_1', companyId: 'co_1', partnerId: 'pa_1', attempt: '1' },
    });
  });

  it.each([
    ['kwd', 37961, 'amount_not_chargeable'],
    ['isk', 1708671, 'amount_not_chargeable'],
    ['ugx', 50050, 'amount_not_chargeable'],
    ['usd', 49, 'amount_below_stripe_minimum'],
    ['gbp', 29, 'amount_below_stripe_minimum'],
  ])('refuses %s %p before calling Stripe (%s), naming the rule', (currency, total, code) => {
    const invoice = given(
      initialInvoice,
      evolveInvoice,
      ['InvoiceGenerated', { ...generated[1], currency, total }],
      ['InvoiceApproved', { ...ids, partnerId: 'pa_1' }],
    );
    const e = thrown(() => decideStartPayout(invoice, ids, ready));
    expect(e).toMatchObject({ status: 422, code });
  });

  it('accepts what Stripe charges: multiples of the increment at or above the minimum', () => {
    for (const [currency, total] of [
      ['kwd', 37960],
      ['isk', 1708600],
      ['gbp', 30],
      ['usd', 50],
    ] as const) {
      const invoice = given(
        initialInvoice,
        evolveInvoice,
        ['InvoiceGenerated', { ...generated[1], currency, total }],
        ['InvoiceApproved', { ...ids, partnerId: 'pa_1' }],
      );
      expect(decideStartPayout(invoice, ids, ready).attempt).toMatchObject({ amount: total, currency });
    }
  });

  it('retries after a failure with the next attempt and a new key', () => {
    const failed = given(processing, evolveInvoice, [
      'InvoicePaymentFailed',
      { ...ids, attempt: 1, paymentIntentId: 'pi_1', reason: 'r', code: 'card_declined' },
    ]);
    expect(decideStartPayout(failed, ids, ready).attempt).toMatchObject({ attempt: 2, idempotencyKey: 'pf-invoice-in_1-attempt-2' });
  });

  it.each([
    ['pending approval', given(initialInvoice, evolveInvoice, generated), 'invalid_invoice_transition'],
    ['processing', processing, 'invalid_invoice_transition'],
  ])('refuses an invoice that is %s with 409 naming its status', (_l, state, code) => {
    const e = thrown(() => decideStartPayout(state, ids, ready));
    expect([e.status, e.code, e.extra.currentStatus]).toEqual([409, code, state.status]);
  });

  it.each([
    ['no card', { ...ready, paymentMethodId: null }, 'company_card_missing'],
    ['no customer', { ...ready, customerId: null }, 'company_card_missing'],
    ['no connected account', { ...ready, accountId: null }, 'partner_account_missing'],
    ['payouts disabled', { ...ready, payoutsEnabled: false }, 'partner_payouts_disabled'],
    ['transfers capability not active', { ...ready, transfersActive: false }, 'partner_transfers_inactive'],
  ])('refuses with %s, naming the fix', (_l, pre, code) => {
    const e = thrown(() => decideStartPayout(approved, ids, pre));
    expect([e.status, e.code]).toEqual([409, code]);
    expect(e.extra.fix).toEqual(expect.any(String));
  });

  it('names a saved payment method that is not a card when there is no card', () => {
    const e = thrown(() =>
      decideStartPayout(approved, ids, { ...ready, paymentMethodId: null, missingCard: 'The company has no payment card: pm_bank is a us_bank_account' }),
    );
    expect(e.extra.fix).toBe('The company has no payment card: pm_bank is a us_bank_account');
  });

  it('refuses a total that is not positive with 422', () => {
    const zero = given(initialInvoice, evolveInvoice, [generated[0], { ...generated[1], total: 0 }], ['InvoiceApproved', { ...ids, partnerId: 'pa_1' }]);
    expect(thrown(() => decideStartPayout(zero, ids, ready)).status).toBe(422);
  });
});

describe('resuming an open attempt', () => {
  const start = new Date('2025-01-01T00:00:00Z');
  const later = (ms: number) => new Date(start.getTime() + ms);

  it('resumes an attempt with no PaymentIntent once it is too old to be in flight', () => {
    expect(decideResume(processing, start, later(RESUME_AFTER_MS), RESUME_AFTER_MS)).toBe('resume');
  });

  it('answers 409 payment_in_progress while it may still be in flight, or once it has a PaymentIntent', () => {
    expect(thrown(() => decideResume(processing, start, later(1000), RESUME_AFTER_MS)).code).toBe('payment_in_progress');
    const withIntent = given(processing, evolveInvoice, ['InvoicePaymentIntentCreated', { ...ids, attempt: 1, paymentIntentId: 'pi_1' }]);
    expect(thrown(() => decideResume(withIntent, start, later(RESUME_AFTER_MS * 2), RESUME_AFTER_MS)).code).toBe('payment_in_progress');
  });
});

describe('recording the PaymentIntent outcome', () => {
  const at = '2025-01-02T00:00:00.000Z';

  it('succeeded: the intent, then paid', () => {
    expect(decideIntentOutcome(processing, ids, 1, { id: 'pi_1', status: 'succeeded', failure: null }, at).map((e) => e.type)).toEqual([
      'InvoicePaymentIntentCreated',
      'InvoicePaid',
    ]);
  });

  it('processing: only the intent, the webhook settles later', () => {
    expect(decideIntentOutcome(processing, ids, 1, { id: 'pi_1', status: 'processing', failure: null }, at).map((e) => e.type)).toEqual([
      'InvoicePaymentIntentCreated',
    ]);
  });

  it('declined: payment_failed with an actionable reason', () => {
    const events = decideIntentOutcome(
      processing,
      ids,
      1,
      {
        id: 'pi_1',
        status: 'requires_payment_method',
        failure: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
      },
      at,
    );
    expect(events[1]).toEqual({
      type: 'InvoicePaymentFailed',
      data: {
        ...ids,
        attempt: 1,
        paymentIntentId: 'pi_1',
        reason: 'The card was declined (insufficient_funds): ask the company to update its card in Payment Settings, then pay again.',
        code: 'insufficient_funds',
      },
    });
  });

  it('requires_action off-session counts as authentication required', () => {
    const events = decideIntentOutcome(processing, ids, 1, { id: 'pi_1', status: 'requires_action', failure: null }, at);
    expect(events[1]).toMatchObject({ type: 'InvoicePaymentFailed', data: { code: 'authentication_required' } });
  });

  it('ignores another attempt, a settled invoice and a repeat', () => {
    const paid = given(processing, evolveInvoice, [
      'InvoicePaid',
      { ...ids, partnerId: 'pa_1', method: 'stripe', reference: null, paymentIntentId: 'pi_1', paidAt: at },
    ]);
    expect(decideIntentOutcome(processing, ids, 2, { id: 'pi_2', status: 'succeeded', failure: null }, at)).toEqual([]);
    expect(decideIntentOutcome(paid, ids, 1, { id: 'pi_1', status: 'succeeded', failure: null }, at)).toEqual([]);
    const withIntent = given(processing, evolveInvoice, ['InvoicePaymentIntentCreated', { ...ids, attempt: 1, paymentIntentId: 'pi_1' }]);
    expect(decideIntentOutcome(withIntent, ids, 1, { id: 'pi_1', status: 'processing', failure: null }, at)).toEqual([]);
  });
});

describe('failure reasons', () => {
  it.each([
    [{ code: 'authentication_required', declineCode: 'authentication_required', message: null }, /requires authentication.*add a card/],
    [
      { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
      /declined \(generic_decline\): ask the company to update its card/,
    ],
    [{ code: 'expired_card', declineCode: null, message: 'expired' }, /declined \(expired_card\)/],
    [{ code: 'insufficient_capabilities_for_transfer', declineCode: null, message: 'x' }, /partner.*finish Stripe onboarding/],
    [{ code: 'amount_too_small', declineCode: null, message: 'Amount must be at least €0.50 eur' }, /amount_too_small.*Amount must be at least/],
  ])('%o', (failure, reason) => {
    expect(failureReason(failure)).toMatch(reason);
  });
});
