import { describe, it, expect } from '@jest/globals';
import { builders, invoicePaymentObject, makeEvent, PRE_BASIL_API_VERSION } from '../../../test/stripe-emulator/index.js';
import { invoicePaymentFromStripeEvent, paymentFromStripeEvent, paymentIdFor, reversalFromStripeEvent } from './stripe-mapping.js';
import { HANDLED_STRIPE_EVENTS } from './stripe-event.js';
import { evolvePaymentRef, initialPaymentRef, type PaymentRefEvent } from './payment-ref.js';
import { recorded } from '../../../libs/event-store/testing/recorded.js';

/** API versions ≥ 2025-03-31 ("basil"): invoices, charges and payment intents no longer name each other. */
const asObj = (e: unknown) => e as Record<string, unknown>;

describe('invoice_payment.paid → references of the invoice’s payment', () => {
  it('payment intent of the invoice payment, for the invoice’s payment id', () => {
    const event = builders.invoicePaymentPaid({ invoice: 'in_1', paymentIntent: 'pi_1' });
    expect(invoicePaymentFromStripeEvent('co_1', asObj(event))).toEqual({
      kind: 'invoice_payment',
      invoiceId: 'in_1',
      paymentId: paymentIdFor('co_1', 'in_1'),
      refs: ['pi_1'],
    });
  });

  it('a charge without payment intent (type charge); an expanded payment intent', () => {
    expect(invoicePaymentFromStripeEvent('co', asObj(builders.invoicePaymentPaid({ invoice: 'in_2', paymentIntent: null, charge: 'ch_2' })))).toMatchObject({
      refs: ['ch_2'],
    });
    const expanded = invoicePaymentObject({ invoice: 'in_3', paymentIntent: 'pi_3' });
    expanded.payment = { type: 'payment_intent', payment_intent: { id: 'pi_3', object: 'payment_intent' } };
    expanded.invoice = { id: 'in_3', object: 'invoice' };
    expect(invoicePaymentFromStripeEvent('co', asObj(makeEvent('invoice_payment.paid', expanded)))).toMatchObject({ invoiceId: 'in_3', refs: ['pi_3'] });
  });

  it('ignores canceled payments, payment records, other types and malformed payloads', () => {
    expect(invoicePaymentFromStripeEvent('co', asObj(makeEvent('invoice_payment.paid', invoicePaymentObject({ status: 'canceled' })))).kind).toBe('ignored');
    const record = invoicePaymentObject();
    record.payment = { type: 'payment_record', payment_record: 'pr_1' };
    expect(invoicePaymentFromStripeEvent('co', asObj(makeEvent('invoice_payment.paid', record)))).toMatchObject({ kind: 'ignored' });
    expect(invoicePaymentFromStripeEvent('co', asObj(builders.invoicePaid())).kind).toBe('ignored');
    for (const bad of [
      {},
      { id: 'evt_1', type: 'invoice_payment.paid', data: { object: { payment: 'x' } } },
      { id: 'evt_1', type: 'invoice_payment.paid', data: { object: null } },
    ]) {
      expect(invoicePaymentFromStripeEvent('co', bad).kind).toBe('ignored');
    }
  });

  it('is a handled (and reconciled) event type', () => {
    expect(HANDLED_STRIPE_EVENTS).toContain('invoice_payment.paid');
    expect(HANDLED_STRIPE_EVENTS).toEqual(expect.arrayContaining(['charge.captured', 'charge.expired']));
  });
});

describe('new-shape charges and invoices', () => {
  it('invoice.paid without charge / payment_intent: a payment known by its invoice id only', () => {
    const event = builders.invoicePaid({ id: 'in_4', amount: 3000 });
    const invoice = event.data.object;
    expect('charge' in invoice || 'payment_intent' in invoice || 'paid' in invoice).toBe(false);
    expect(paymentFromStripeEvent('co', asObj(event))).toMatchObject({
      kind: 'payment',
      refs: ['in_4'],
      facts: { chargeId: null, paymentIntentId: null, invoiceId: 'in_4', amount: 3000 },
    });
  });

  it('charge.succeeded without an `invoice` property: a payment to check against its payment intent’s invoice', () => {
    const event = builders.chargeSucceeded({ id: 'ch_5', paymentIntent: 'pi_5', amount: 5000, customer: 'cus_5' });
    expect('invoice' in event.data.object).toBe(false);
    const m = paymentFromStripeEvent('co', asObj(event));
    expect(m).toMatchObject({ kind: 'payment', refs: ['ch_5', 'pi_5'], lookup: { paymentIntentId: 'pi_5' } });
  });

  it('the old shape (`invoice: null`) is a standalone charge: no lookup; no payment intent: nothing to look up', () => {
    expect(
      paymentFromStripeEvent('co', asObj(builders.chargeSucceeded({ paymentIntent: 'pi_6', customer: 'cus_6', apiVersion: PRE_BASIL_API_VERSION }))),
    ).not.toHaveProperty('lookup');
    expect(paymentFromStripeEvent('co', asObj(builders.chargeSucceeded({ paymentIntent: null, customer: 'cus_6' })))).not.toHaveProperty('lookup');
  });

  it('charge.refunded without `invoice`: refs of the charge and a lookup by payment intent; the old shape none', () => {
    const basil = builders.chargeRefunded({ id: 'ch_7', paymentIntent: 'pi_7', amount: 5000, amountRefunded: 1000 });
    expect(reversalFromStripeEvent(asObj(basil))).toMatchObject({ kind: 'reversal', refs: ['ch_7', 'pi_7'], lookup: { paymentIntentId: 'pi_7' } });
    expect(
      reversalFromStripeEvent(asObj(builders.chargeRefunded({ id: 'ch_8', paymentIntent: 'pi_8', apiVersion: PRE_BASIL_API_VERSION }))),
    ).not.toHaveProperty('lookup');
  });

  it('lost disputes look up the invoice only for events of API ≥ 2025-03-31', () => {
    const dispute = builders.disputeClosed({ charge: 'ch_9', paymentIntent: 'pi_9', status: 'lost' });
    expect(reversalFromStripeEvent(asObj(dispute))).toMatchObject({ lookup: { paymentIntentId: 'pi_9' } });
    expect(reversalFromStripeEvent(asObj({ ...dispute, api_version: '2024-06-20' }))).not.toHaveProperty('lookup');
  });
});

describe('payment references linked from an invoice payment', () => {
  it('remember the invoice, keep the first payment', () => {
    const rec = (paymentId: string, invoiceId?: string) =>
      recorded<PaymentRefEvent>({
        type: 'PaymentReferenceRecorded',
        data: { companyId: 'co', ref: 'pi_1', paymentId, ...(invoiceId ? { invoiceId } : {}) },
      });
    const state = [rec('pay_a', 'in_1'), rec('pay_b')].reduce(evolvePaymentRef, initialPaymentRef);
    expect(state).toEqual({ paymentId: 'pay_a', invoiceId: 'in_1', parked: [] });
    expect([rec('pay_c')].reduce(evolvePaymentRef, initialPaymentRef)).toEqual({ paymentId: 'pay_c', invoiceId: null, parked: [] });
  });
});
