import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { builders, makeEvent, PRE_BASIL_API_VERSION, startStripeEmulator, type StripeEmulator } from '../index.js';
import { checkoutSessionObject, disputeObject, invoiceObject, invoicePaymentObject } from '../objects/billing.js';
import { accountObject } from '../objects/connect.js';
import { bankAccountPaymentMethodObject, customerObject, paymentMethodObject } from '../objects/customers.js';
import { discountObject, promotionCodeObject } from '../objects/discounts.js';
import { chargeObject, paymentErrorObject, paymentIntentObject, refundObject, setupIntentObject } from '../objects/payments.js';
import { TEST_CARDS } from '../test-cards.js';
import { StripeShapeChecker } from './shape-checker.js';
import type { StripeShapes } from './stripe-types.js';

/**
 * Every emulator object, as its builders make it and as the running emulator answers it, against the `stripe` package's
 * types for the version it pins: the required fields are there, and no field is invented. A field Stripe adds or drops
 * in a later SDK makes this fail until the emulator follows.
 */
let checker: StripeShapeChecker;
let emulator: StripeEmulator;

beforeAll(async () => {
  checker = new StripeShapeChecker();
  emulator = await startStripeEmulator();
});
afterAll(() => emulator.close());

const conforms = (name: keyof StripeShapes, value: unknown) => expect(checker.check(name, JSON.parse(JSON.stringify(value)))).toEqual([]);

describe('the checker', () => {
  it('reports an invented field, a missing one, a wrong literal, a wrong primitive and a non-null where null is due', () => {
    const customer = JSON.parse(JSON.stringify(customerObject()));
    const { email: _dropped, ...missing } = customer;
    expect(checker.check('customer', { ...customer, total_count: 1 })).toEqual(['customer.total_count: not a field of Customer']);
    expect(checker.check('customer', missing)).toEqual(['customer.email: required but missing (string | null)']);
    expect(checker.check('customer', { ...customer, object: 'client' })).toEqual(['customer.object: "client" is not \'customer\'']);
    expect(checker.check('customer', { ...customer, balance: '0' })).toEqual(['customer.balance: "0" is not a number']);
    expect(checker.check('list', { object: 'list', data: [customer], has_more: false, url: '/v1/customers', total_count: 1 })).toEqual([
      'list.total_count: not a field of ApiList<Customer>',
    ]);
  });
});

describe('object builders match the stripe types', () => {
  it.each<[keyof StripeShapes, string, () => unknown]>([
    ['account', 'Express by type', () => accountObject({ type: 'express', onboarded: true })],
    [
      'account',
      'controller properties, recipient',
      () =>
        accountObject({
          controller: {
            fees: { payer: 'application' },
            losses: { payments: 'application' },
            requirement_collection: 'stripe',
            stripe_dashboard: { type: 'express' },
          },
          serviceAgreement: 'recipient',
          country: 'DE',
        }),
    ],
    ['customer', 'customer', () => customerObject({ email: 'a@b.c' })],
    ['paymentMethod', 'card', () => paymentMethodObject(TEST_CARDS.pm_card_visa!, { customer: 'cus_1' })],
    ['paymentMethod', 'US bank account', () => bankAccountPaymentMethodObject({ customer: 'cus_1' })],
    ['charge', 'succeeded', () => chargeObject({ paymentIntent: 'pi_1', customer: 'cus_1', destination: 'acct_1', transferAmount: 900 })],
    [
      'charge',
      'failed',
      () => chargeObject({ status: 'failed', failure: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' } }),
    ],
    ['charge', 'refunded', () => builders.chargeRefunded({ amount: 500 }).data.object],
    ['refund', 'refund', () => refundObject({ amount: 100, charge: 'ch_1', paymentIntent: 'pi_1' })],
    [
      'paymentIntent',
      'succeeded destination charge',
      () => paymentIntentObject({ destination: 'acct_1', transferAmount: 1000, allowedPaymentMethodTypes: ['card'] }),
    ],
    [
      'paymentIntent',
      'dynamic payment methods',
      () =>
        paymentIntentObject({
          status: 'requires_payment_method',
          paymentMethod: null,
          automaticPaymentMethods: { enabled: true, allow_redirects: 'always' },
          paymentMethodTypes: ['card', 'link'],
        }),
    ],
    [
      'paymentIntentError',
      'card error',
      () =>
        paymentErrorObject({
          code: 'card_declined',
          declineCode: 'generic_decline',
          message: 'Your card was declined.',
          charge: 'ch_1',
          paymentMethod: paymentMethodObject(TEST_CARDS.pm_card_visa!),
        }),
    ],
    ['setupIntent', 'card only', () => setupIntentObject({ customer: 'cus_1', allowedPaymentMethodTypes: ['card'] })],
    [
      'setupIntent',
      'dynamic payment methods',
      () => setupIntentObject({ automaticPaymentMethods: { enabled: true, allow_redirects: 'always' }, paymentMethodTypes: ['card', 'link'] }),
    ],
    ['invoice', 'subscription, with tax', () => invoiceObject({ tax: 100, amount: 1100 })],
    ['invoice', 'one-off', () => invoiceObject({ subscription: null })],
    [
      'invoice',
      'with a promotion code discount',
      () => invoiceObject({ discounts: [{ discount: discountObject({ promotionCode: 'promo_1' }), amount: 200 }] }),
    ],
    ['discount', 'of a promotion code', () => discountObject({ promotionCode: 'promo_1', invoice: 'in_1', customer: 'cus_1' })],
    ['promotionCode', 'promotion code', () => promotionCodeObject({ code: 'JANE20', customer: 'cus_1' })],
    ['invoicePayment', 'by payment intent', () => invoicePaymentObject()],
    ['invoicePayment', 'by charge', () => invoicePaymentObject({ paymentIntent: null, charge: 'ch_1' })],
    ['dispute', 'lost', () => disputeObject()],
    ['checkoutSession', 'subscription', () => checkoutSessionObject({ clientReferenceId: 'ref', email: 'a@b.c' })],
    ['checkoutSession', 'payment without customer', () => checkoutSessionObject({ mode: 'payment', customer: null, email: 'a@b.c' })],
    ['checkoutSession', 'setup', () => checkoutSessionObject({ mode: 'setup' })],
    [
      'checkoutSession',
      'with a promotion code',
      () => checkoutSessionObject({ email: 'a@b.c', promotionCode: { id: 'promo_1', coupon: 'SAVE', amountOff: 300 } }),
    ],
  ])('%s (%s)', (name, _label, build) => conforms(name, build()));

  it.each(Object.entries(builders))('event builder %s', (_name, build) => conforms('event', (build as () => unknown)()));
});

describe('pre-Basil payloads differ from Basil+ only by the fields the version changed', () => {
  const keys = (o: object) => Object.keys(o).sort();
  const without = (all: string[], gone: string[]) => all.filter((k) => !gone.includes(k));

  it('invoice: charge, payment_intent, paid, subscription, tax… instead of parent, total_taxes…', () => {
    const basil = invoiceObject({ id: 'in_1', tax: 10 });
    const old = invoiceObject({ id: 'in_1', tax: 10, apiVersion: PRE_BASIL_API_VERSION });
    const basilOnly = ['amount_overpaid', 'parent', 'total_pretax_credit_amounts', 'total_taxes'];
    const oldOnly = [
      'charge',
      'discount',
      'paid',
      'paid_out_of_band',
      'payment_intent',
      'quote',
      'subscription',
      'subscription_details',
      'tax',
      'total_tax_amounts',
    ];
    expect(keys(old)).toEqual([...without(keys(basil), basilOnly), ...oldOnly].sort());
    for (const gone of oldOnly) expect(basil).not.toHaveProperty(gone);
    expect(old).toMatchObject({ paid: true, tax: 10, total_tax_amounts: [{ amount: 10 }] });
    const [basilLine, oldLine] = [basil.lines.data[0], old.lines.data[0]];
    const oldLineOnly = [
      'amount_excluding_tax',
      'invoice_item',
      'plan',
      'price',
      'proration',
      'proration_details',
      'subscription_item',
      'tax_amounts',
      'tax_rates',
      'type',
      'unit_amount_excluding_tax',
    ];
    expect(keys(oldLine)).toEqual([...without(keys(basilLine), ['parent', 'pricing', 'taxes']), ...oldLineOnly].sort());
  });

  it('charge and payment intent: `invoice` before Basil only', () => {
    expect(keys(chargeObject({ id: 'ch_1', apiVersion: PRE_BASIL_API_VERSION }))).toEqual([...keys(chargeObject({ id: 'ch_1' })), 'invoice'].sort());
    expect(chargeObject({ invoice: 'in_1', apiVersion: PRE_BASIL_API_VERSION }).invoice).toBe('in_1');
    expect(keys(paymentIntentObject({ id: 'pi_1', apiVersion: PRE_BASIL_API_VERSION }))).toEqual(
      [...keys(paymentIntentObject({ id: 'pi_1' })), 'invoice'].sort(),
    );
  });

  it('an event says the version its payload is in', () => {
    expect(builders.invoicePaid()).toMatchObject({ api_version: Stripe.API_VERSION, data: { object: { parent: expect.any(Object) } } });
    expect(builders.invoicePaid({ apiVersion: PRE_BASIL_API_VERSION })).toMatchObject({
      api_version: PRE_BASIL_API_VERSION,
      data: { object: { charge: expect.stringMatching(/^ch_/) } },
    });
    expect(() => builders.invoicePaymentPaid({ apiVersion: PRE_BASIL_API_VERSION })).toThrow(/does not exist/);
  });
});

describe('the running emulator answers in the same shapes', () => {
  const key = 'sk_test_shapes';
  const raw = async (method: string, path: string, form?: Record<string, string>) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return (await res.json()) as Record<string, any>;
  };

  it('customers, setup and payment intents, charges, accounts, links, lists, events, webhook endpoints', async () => {
    const customer = await raw('POST', '/v1/customers', { email: 'shape@example.com' });
    conforms('customer', customer);
    const account = await raw('POST', '/v1/accounts', {
      'controller[fees][payer]': 'application',
      'controller[losses][payments]': 'application',
      'controller[stripe_dashboard][type]': 'express',
      'capabilities[transfers][requested]': 'true',
    });
    conforms('account', account);
    emulator.completeAccountOnboarding(account.id);
    conforms('account', await raw('GET', `/v1/accounts/${account.id}`));
    conforms('account', await raw('GET', '/v1/account'));
    conforms(
      'accountLink',
      await raw('POST', '/v1/account_links', {
        account: account.id,
        type: 'account_onboarding',
        refresh_url: 'https://a.test/r',
        return_url: 'https://a.test/b',
      }),
    );
    const setup = await raw('POST', '/v1/setup_intents', { customer: customer.id, usage: 'off_session', 'allowed_payment_method_types[0]': 'card' });
    conforms('setupIntent', setup);
    const pm = emulator.succeedSetupIntent(setup.id).data.object.payment_method as string;
    conforms('setupIntent', await raw('GET', `/v1/setup_intents/${setup.id}`));
    conforms('paymentMethod', await raw('GET', `/v1/payment_methods/${pm}`));
    const intent = await raw('POST', '/v1/payment_intents', {
      amount: '1030',
      currency: 'usd',
      customer: customer.id,
      payment_method: pm,
      confirm: 'true',
      off_session: 'true',
      'allowed_payment_method_types[0]': 'card',
      'transfer_data[destination]': account.id,
      'transfer_data[amount]': '1000',
    });
    conforms('paymentIntent', intent);
    conforms('charge', await raw('GET', `/v1/charges/${intent.latest_charge}`));
    conforms('list', await raw('GET', '/v1/customers?limit=2'));
    const events = await raw('GET', '/v1/events?limit=20');
    for (const e of events.data) conforms('event', e);
    conforms(
      'webhookEndpoint',
      await raw('POST', '/v1/webhook_endpoints', { url: 'https://hooks.test/x', 'enabled_events[0]': 'account.updated', connect: 'true' }),
    );
    conforms('event', makeEvent('account.updated', await raw('GET', `/v1/accounts/${account.id}`), { account: account.id }));
  });
});
