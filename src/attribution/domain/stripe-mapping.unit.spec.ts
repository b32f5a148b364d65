import { describe, it, expect } from '@jest/globals';
import { builders, PRE_BASIL_API_VERSION } from '../../../test/stripe-emulator/index.js';
import { checkoutLinkFromStripeEvent, paymentFromStripeEvent, paymentIdFor, reversalFromStripeEvent } from './stripe-mapping.js';

const asObj = (e: unknown) => e as Record<string, unknown>;

describe('Stripe payloads → payments', () => {
  it('invoice.paid before 2025-03-31: amount paid, tax, net, ids, email and paid_at', () => {
    const event = builders.invoicePaid({
      id: 'in_1',
      customer: 'cus_1',
      email: 'Billing@X.com',
      amount: 12000,
      tax: 2000,
      charge: 'ch_1',
      paymentIntent: 'pi_1',
      currency: 'EUR',
      created: 1_767_225_600,
      apiVersion: PRE_BASIL_API_VERSION,
    });
    const m = paymentFromStripeEvent('co_1', asObj(event));
    expect(m).toEqual({
      kind: 'payment',
      customerLookup: 'cus_1',
      refs: ['in_1', 'ch_1', 'pi_1'],
      facts: {
        paymentId: paymentIdFor('co_1', 'in_1'),
        companyId: 'co_1',
        stripeObjectId: 'in_1',
        chargeId: 'ch_1',
        paymentIntentId: 'pi_1',
        invoiceId: 'in_1',
        customerId: 'cus_1',
        email: 'Billing@X.com',
        amount: 12000,
        tax: 2000,
        net: 10000,
        currency: 'eur',
        paidAt: '2026-01-01T00:00:00.000Z',
        stripeEventId: event.id,
      },
    });
  });

  it('tax from total_taxes (2025-03-31 on), `tax` before, and older total_tax_amounts', () => {
    expect(paymentFromStripeEvent('co', asObj(builders.invoicePaid({ amount: 11000, tax: 1000 })))).toMatchObject({ facts: { tax: 1000, net: 10000 } });
    const old = asObj(builders.invoicePaid({ amount: 11000, tax: 1000, apiVersion: PRE_BASIL_API_VERSION }));
    expect(paymentFromStripeEvent('co', old)).toMatchObject({ facts: { tax: 1000, net: 10000 } });
    const invoice = (old.data as { object: Record<string, unknown> }).object;
    delete invoice.tax;
    expect(paymentFromStripeEvent('co', old)).toMatchObject({ facts: { tax: 1000, net: 10000 } });
  });

  it('a Basil+ invoice names no charge or payment intent; an expanded `payments` list (never in an event) is not read', () => {
    const event = asObj(builders.invoicePaid({ id: 'in_2' }));
    (event.data as { object: Record<string, unknown> }).object.payments = {
      object: 'list',
      data: [{ payment: { type: 'payment_intent', payment_intent: 'pi_9' } }],
    };
    expect(paymentFromStripeEvent('co', event)).toMatchObject({ facts: { paymentIntentId: null, chargeId: null }, refs: ['in_2'] });
  });

  it('an uncaptured charge is no payment; its capture is, for the amount captured, paid when captured', () => {
    const authorized = builders.chargeSucceeded({ id: 'ch_auth', amount: 5000, captured: false, paymentIntent: 'pi_auth' });
    expect(paymentFromStripeEvent('co', asObj(authorized))).toEqual({ kind: 'ignored', reason: 'uncaptured charge: recorded when captured (charge.captured)' });
    const captured = builders.chargeCaptured({ id: 'ch_auth', amount: 5000, amountCaptured: 3000, paymentIntent: 'pi_auth', created: 1_767_225_600 });
    (captured as { created: number }).created = 1_767_312_000;
    expect(paymentFromStripeEvent('co', asObj(captured))).toMatchObject({
      kind: 'payment',
      refs: ['ch_auth', 'pi_auth'],
      facts: { paymentId: paymentIdFor('co', 'ch_auth'), amount: 3000, net: 3000, paidAt: '2026-01-02T00:00:00.000Z' },
    });
  });

  it('zero-amount invoices (trials) are not payments', () => {
    expect(paymentFromStripeEvent('co', asObj(builders.invoicePaid({ amount: 0 })))).toEqual({ kind: 'ignored', reason: 'zero-amount invoice' });
  });

  it('charge.succeeded without invoice is a payment, with the billing or receipt email', () => {
    const event = asObj(builders.chargeSucceeded({ id: 'ch_5', amount: 5000, customer: 'cus_5', email: 'a@b.co', paymentIntent: 'pi_5' }));
    expect(paymentFromStripeEvent('co', event)).toMatchObject({
      kind: 'payment',
      refs: ['ch_5', 'pi_5'],
      facts: { stripeObjectId: 'ch_5', invoiceId: null, amount: 5000, tax: 0, net: 5000, email: 'a@b.co' },
    });
    const charge = (event.data as { object: Record<string, unknown> }).object;
    charge.billing_details = { email: null };
    charge.receipt_email = 'receipt@b.co';
    expect(paymentFromStripeEvent('co', event)).toMatchObject({ facts: { email: 'receipt@b.co' } });
  });

  it('charge.succeeded of an invoice is left to invoice.paid', () => {
    expect(paymentFromStripeEvent('co', asObj(builders.chargeSucceeded({ invoice: 'in_7', apiVersion: PRE_BASIL_API_VERSION })))).toEqual({
      kind: 'ignored',
      reason: 'charge of invoice in_7: recorded from invoice.paid',
    });
  });

  it('never throws on malformed payloads', () => {
    for (const bad of [
      {},
      { type: 'invoice.paid' },
      { id: 'evt_1', type: 'invoice.paid', data: { object: { id: 'in_1', currency: 'zzz', amount_paid: 1 } } },
      { id: 'evt_1', type: 'invoice.paid', data: { object: { id: 'in_1', currency: 'usd', amount_paid: 1.5 } } },
    ]) {
      expect(paymentFromStripeEvent('co', bad).kind).toBe('ignored');
      expect(reversalFromStripeEvent(bad).kind).toBe('ignored');
      expect(checkoutLinkFromStripeEvent(bad).kind).toBe('ignored');
    }
  });

  it('payment ids are deterministic per company and Stripe object', () => {
    expect(paymentIdFor('co_1', 'in_1')).toBe(paymentIdFor('co_1', 'in_1'));
    expect(paymentIdFor('co_1', 'in_1')).not.toBe(paymentIdFor('co_2', 'in_1'));
    expect(paymentIdFor('co_1', 'in_1')).toMatch(/^pay_[0-9a-f]{24}$/);
  });
});

describe('Stripe payloads → reversals and checkout links', () => {
  it('charge.refunded carries the cumulative amount refunded and the ids to find the payment', () => {
    const event = builders.chargeRefunded({
      id: 'ch_1',
      amount: 5000,
      amountRefunded: 2000,
      paymentIntent: 'pi_1',
      invoice: 'in_1',
      created: 1_767_225_600,
      apiVersion: PRE_BASIL_API_VERSION,
    });
    expect(reversalFromStripeEvent(asObj(event))).toEqual({
      kind: 'reversal',
      refs: ['ch_1', 'pi_1', 'in_1'],
      reversal: { kind: 'refund', chargeId: 'ch_1', amountRefunded: 2000, currency: 'usd', occurredAt: '2026-01-01T00:00:00.000Z', stripeEventId: event.id },
    });
  });

  it('a partial capture’s released rest is not a refund of what was captured (before API 2025-03-31 it counts in amount_refunded)', () => {
    const legacy = asObj(builders.chargeRefunded({ id: 'ch_pc', amount: 5000, amountRefunded: 2000 + 500, paymentIntent: 'pi_pc', apiVersion: '2024-06-20' }));
    Object.assign((legacy.data as { object: object }).object, { captured: true, amount_captured: 3000 });
    expect(reversalFromStripeEvent(legacy)).toMatchObject({ reversal: { chargeId: 'ch_pc', amountRefunded: 500 } });
    const basil = asObj(builders.chargeRefunded({ id: 'ch_pc', amount: 5000, amountRefunded: 500, paymentIntent: 'pi_pc', apiVersion: '2025-03-31.basil' }));
    Object.assign((basil.data as { object: object }).object, { captured: true, amount_captured: 3000 });
    expect(reversalFromStripeEvent(basil)).toMatchObject({ reversal: { amountRefunded: 500 } });
    const released = asObj(builders.chargeRefunded({ id: 'ch_pc', amount: 5000, amountRefunded: 2000, paymentIntent: 'pi_pc', apiVersion: '2024-06-20' }));
    Object.assign((released.data as { object: object }).object, { captured: true, amount_captured: 3000 });
    expect(reversalFromStripeEvent(released)).toEqual({ kind: 'ignored', reason: 'charge without amount_refunded' });
  });

  it('charge.expired reverses the whole authorization (a payment recorded from it before captures were awaited)', () => {
    const event = builders.chargeExpired({ id: 'ch_x', amount: 5000, paymentIntent: 'pi_x', created: 1_767_225_600 });
    expect(reversalFromStripeEvent(asObj(event))).toMatchObject({
      kind: 'reversal',
      refs: ['ch_x', 'pi_x'],
      reversal: { kind: 'refund', chargeId: 'ch_x', amountRefunded: 5000 },
    });
  });

  it('only lost disputes reverse', () => {
    expect(
      reversalFromStripeEvent(asObj(builders.disputeClosed({ id: 'dp_1', charge: 'ch_1', paymentIntent: 'pi_1', amount: 700, status: 'lost' }))),
    ).toMatchObject({
      kind: 'reversal',
      refs: ['ch_1', 'pi_1'],
      reversal: { kind: 'dispute_lost', disputeId: 'dp_1', amount: 700 },
    });
    expect(reversalFromStripeEvent(asObj(builders.disputeClosed({ status: 'won' })))).toEqual({ kind: 'ignored', reason: 'dispute closed as won' });
  });

  it('checkout.session.completed with client_reference_id and customer', () => {
    const event = asObj(builders.checkoutSessionCompleted({ id: 'cs_1', clientReferenceId: 'ref_abc', customer: 'cus_1', email: 'x@y.com' }));
    expect(checkoutLinkFromStripeEvent(event)).toEqual({
      kind: 'checkout',
      sessionId: 'cs_1',
      reference: 'ref_abc',
      buyer: { customerId: 'cus_1' },
      email: 'x@y.com',
      promotionCodes: [],
    });
    expect(checkoutLinkFromStripeEvent(asObj(builders.checkoutSessionCompleted({ clientReferenceId: null }))).kind).toBe('ignored');
  });

  it('a session without a customer names its payment intent and keeps customer_details.email', () => {
    const guest = asObj(
      builders.checkoutSessionCompleted({
        id: 'cs_2',
        mode: 'payment',
        clientReferenceId: 'ref_abc',
        customer: null,
        paymentIntent: 'pi_2',
        email: 'guest@y.com',
      }),
    );
    expect(checkoutLinkFromStripeEvent(guest)).toEqual({
      kind: 'checkout',
      sessionId: 'cs_2',
      reference: 'ref_abc',
      buyer: { customerId: null, paymentIntentId: 'pi_2' },
      email: 'guest@y.com',
      promotionCodes: [],
    });
    const neither = builders.checkoutSessionCompleted({ mode: 'subscription', clientReferenceId: 'ld_1', customer: null, subscription: null, invoice: null });
    expect(checkoutLinkFromStripeEvent(asObj(neither))).toEqual({ kind: 'ignored', reason: 'session without customer or payment intent' });
  });

  it('a guest charge (no customer) never paid an invoice: no invoice lookup even in the Basil shape', () => {
    expect(paymentFromStripeEvent('co', asObj(builders.chargeSucceeded({ paymentIntent: 'pi_3', customer: null })))).not.toHaveProperty('lookup');
    expect(paymentFromStripeEvent('co', asObj(builders.chargeSucceeded({ paymentIntent: 'pi_3', customer: 'cus_3' })))).toMatchObject({
      lookup: { paymentIntentId: 'pi_3' },
    });
  });
});
