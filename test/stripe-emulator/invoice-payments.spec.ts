import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { builders, invoicePaymentObject, PRE_BASIL_API_VERSION, startStripeEmulator, type StripeEmulator } from './index.js';

let emulator: StripeEmulator;
const stripe = (key = 'rk_test_invoicepayments') => new Stripe(key, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });

beforeAll(async () => {
  emulator = await startStripeEmulator();
  emulator.putObject('invoice_payments', invoicePaymentObject({ id: 'inpay_1A', invoice: 'in_1A', paymentIntent: 'pi_1A', created: 100 }));
  emulator.putObject('invoice_payments', invoicePaymentObject({ id: 'inpay_1B', invoice: 'in_1B', paymentIntent: 'pi_1B', status: 'open', created: 200 }));
  emulator.putObject('invoice_payments', invoicePaymentObject({ id: 'inpay_1C', invoice: 'in_1A', paymentIntent: null, charge: 'ch_1C', created: 300 }));
});
afterAll(() => emulator.close());

describe('GET /v1/invoice_payments (API ≥ 2025-03-31)', () => {
  it('lists newest first in the Stripe list shape, through the SDK', async () => {
    const all = await stripe().invoicePayments.list();
    expect(all).toMatchObject({ object: 'list', has_more: false, url: '/v1/invoice_payments' });
    expect(all.data.map((p) => p.id)).toEqual(['inpay_1C', 'inpay_1B', 'inpay_1A']);
    expect(all.data[2]).toMatchObject({
      object: 'invoice_payment',
      invoice: 'in_1A',
      status: 'paid',
      amount_paid: 2000,
      payment: { type: 'payment_intent', payment_intent: 'pi_1A' },
    });
  });

  it('filters by invoice, by payment intent, by charge, by status; pages', async () => {
    const ids = (l: { data: { id: string }[] }) => l.data.map((p) => p.id);
    expect(ids(await stripe().invoicePayments.list({ invoice: 'in_1A' }))).toEqual(['inpay_1C', 'inpay_1A']);
    expect(ids(await stripe().invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: 'pi_1B' } }))).toEqual(['inpay_1B']);
    expect(ids(await stripe().invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: 'pi_none' } }))).toEqual([]);
    expect(ids(await stripe().invoicePayments.list({ payment: { type: 'charge', charge: 'ch_1C' } as never }))).toEqual(['inpay_1C']);
    expect(ids(await stripe().invoicePayments.list({ status: 'paid' }))).toEqual(['inpay_1C', 'inpay_1A']);
    const page = await stripe().invoicePayments.list({ limit: 1 });
    expect(page.has_more).toBe(true);
    expect(ids(await stripe().invoicePayments.list({ limit: 1, starting_after: page.data[0]!.id }))).toEqual(['inpay_1B']);
    expect((await stripe().invoicePayments.retrieve('inpay_1B')).invoice).toBe('in_1B');
  });

  it('Stripe errors: payment without type, unknown params, unknown id, bad key', async () => {
    await expect(stripe().invoicePayments.list({ payment: { payment_intent: 'pi_1A' } as never })).rejects.toMatchObject({
      statusCode: 400,
      param: 'payment[type]',
    });
    await expect(stripe().invoicePayments.list({ customer: 'cus_1' } as never)).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe().invoicePayments.retrieve('inpay_nope')).rejects.toMatchObject({ statusCode: 404 });
    await expect(stripe('sk_live_nope').invoicePayments.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });
});

describe('new-shape builders', () => {
  it('invoice without charge / payment_intent, charge without invoice, invoice_payment.paid; old shapes unchanged', () => {
    const invoice = builders.invoicePaid().data.object;
    expect(invoice).not.toHaveProperty('charge');
    expect(invoice).not.toHaveProperty('payment_intent');
    expect(builders.invoicePaid({ apiVersion: PRE_BASIL_API_VERSION }).data.object).toHaveProperty('charge');
    expect(builders.chargeSucceeded().data.object).not.toHaveProperty('invoice');
    expect(builders.chargeRefunded().data.object).not.toHaveProperty('invoice');
    expect(builders.chargeSucceeded({ apiVersion: PRE_BASIL_API_VERSION }).data.object).toHaveProperty('invoice', null);
    const paid = builders.invoicePaymentPaid({ invoice: 'in_1', paymentIntent: 'pi_1', amount: 500 });
    expect(paid).toMatchObject({
      type: 'invoice_payment.paid',
      data: {
        object: { object: 'invoice_payment', invoice: 'in_1', amount_paid: 500, status: 'paid', payment: { type: 'payment_intent', payment_intent: 'pi_1' } },
      },
    });
    expect(paid.data.object.id).toMatch(/^inpay_/);
  });
});
