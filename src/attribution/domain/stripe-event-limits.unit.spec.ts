import { describe, it, expect } from '@jest/globals';
import { stripeEventProblem } from './stripe-event-limits.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';

const NOW = 1_780_000_000;
const invoicePaid = (object: Record<string, unknown> = {}, event: Record<string, unknown> = {}) => ({
  id: 'evt_1',
  object: 'event',
  type: 'invoice.paid',
  created: NOW - 5,
  api_version: '2025-03-31.basil',
  data: {
    object: { id: 'in_1Abc', object: 'invoice', customer: 'cus_Abc', currency: 'usd', amount_paid: 1000, status_transitions: { paid_at: NOW - 6 }, ...object },
  },
  ...event,
});
const field = (e: Record<string, unknown>) => stripeEventProblem(e, NOW)?.field ?? null;

describe('what a company Stripe event may hold', () => {
  it('takes real shapes: ids with underscores, expanded objects, nulls, Stripe-sized amounts, 12-digit IDR amounts', () => {
    expect(field(invoicePaid())).toBeNull();
    expect(
      field(
        invoicePaid({
          id: 'cs_test_a1B2c3',
          customer: null,
          charge: { id: 'ch_3Mml', customer: 'cus_X' },
          amount_paid: 99_999_999,
          currency: 'idr',
          total: 999_999_999_999,
        }),
      ),
    ).toBeNull();
    expect(
      field(invoicePaid({ payments: { data: [{ payment: { type: 'payment_intent', payment_intent: 'pi_1' } }] }, total_taxes: [{ amount: 10 }] })),
    ).toBeNull();
  });

  it.each([
    ['created', invoicePaid({}, { created: -62_167_219_200 })], // year 0
    ['created', invoicePaid({}, { created: 253_402_300_800 })], // year 10000
    ['created', invoicePaid({}, { created: 2 ** 53 - 1 })],
    ['created', invoicePaid({}, { created: undefined })],
    ['created', invoicePaid({}, { created: NOW + 2 * 86_400 })],
    ['data.object.status_transitions.paid_at', invoicePaid({ status_transitions: { paid_at: 253_402_300_800 } })],
    ['data.object.created', invoicePaid({ created: 1.5 })],
    ['data.object.customer', invoicePaid({ customer: `cus_${'x'.repeat(6_000)}` })],
    ['data.object.charge', invoicePaid({ charge: { id: `ch_${'y'.repeat(300)}` } })],
    ['data.object.customer', invoicePaid({ customer: 'cus with space' })],
    ['data.object.id', invoicePaid({ id: 'in_1-dash' })],
    ['data.object.payments.data[0].payment.payment_intent', invoicePaid({ payments: { data: [{ payment: { payment_intent: `pi_${'z'.repeat(260)}` } }] } })],
    ['data.object.amount_paid', invoicePaid({ amount_paid: 2 ** 53 - 1 })],
    ['data.object.amount_paid', invoicePaid({ amount_paid: 1e308 })],
    ['data.object.amount_paid', invoicePaid({ amount_paid: 12.5 })],
    ['data.object.total_taxes[0].amount', invoicePaid({ total_taxes: [{ amount: 1e13 }] })],
    ['data.object.client_reference_id', invoicePaid({ client_reference_id: 'r'.repeat(201) })],
    ['data.object.customer_email', invoicePaid({ customer_email: `${'a'.repeat(600)}@x.example` })],
  ])('refuses %s outside what Stripe sends', (name, event) => {
    expect(field(event as Record<string, unknown>)).toBe(name);
  });
});

describe('stream names', () => {
  it('keep plain ids as they are and hash anything long or odd', () => {
    expect(streamKey('cus_NffrFeUfNV2Hib')).toBe('cus_NffrFeUfNV2Hib');
    expect(streamKey(`cus_${'x'.repeat(6_000)}`)).toMatch(/^h_[0-9a-f]{64}$/);
    expect(streamKey('a b')).toMatch(/^h_[0-9a-f]{64}$/);
    expect(streamKey('x'.repeat(201))).not.toBe(streamKey('x'.repeat(202)));
  });
});
