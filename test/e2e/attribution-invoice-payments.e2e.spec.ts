import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, newCompany, api, OPERATOR_KEY, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { quiesce } from '../support/quiesce.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders, invoicePaymentObject, startStripeEmulator, type StripeEmulator, type StripeEvent } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';

/**
 * Stripe API ≥ 2025-03-31 ("basil"): invoices no longer name their charge / payment intent, charges no longer name
 * their invoice; the InvoicePayment links them. A subscription payment must count once, and its refunds must reverse it.
 */
type Payment = { id: string; stripeObjectId: string; amount: number; refundedAmount: number; attribution: { status: string; partnerId: string | null } };
type Commission = { id: string; paymentId: string; amount: number; status: string };

const RUN = Math.random().toString(36).slice(2, 8);
let seq = 0;

describe('new-shape (API ≥ 2025-03-31) subscription payments: one payment, refunds reversed', () => {
  let emulator: StripeEmulator;
  let app: RunningApp;
  const tenants: Record<'events' | 'lookup' | 'rejected', { admin: Api; send: ReturnType<typeof stripeWebhooks> }> = {} as never;

  /** One subscription payment of a fresh customer, led by a fresh partner: ids and its four events. */
  async function subscription(tenant: keyof typeof tenants, amount = 10_000) {
    const n = `${RUN}${++seq}`;
    const { admin } = tenants[tenant];
    const ids = { invoice: `in_1Basil${n}`, charge: `ch_1Basil${n}`, paymentIntent: `pi_1Basil${n}`, customer: `cus_Basil${n}` };
    const partner = (await admin.post('/v1/partners', { name: `P${n}`, email: `p${n}@partner.example`, currency: 'usd' }).expect(201)).body as { id: string };
    await admin.post('/v1/leads', { partnerId: partner.id, email: `c${n}@customer.example`, stripeCustomerId: ids.customer }).expect(201);
    const common = { customer: ids.customer, amount };
    const events = {
      invoicePaid: builders.invoicePaid({ ...common, id: ids.invoice }),
      chargeSucceeded: builders.chargeSucceeded({ ...common, id: ids.charge, paymentIntent: ids.paymentIntent }),
      invoicePaymentPaid: builders.invoicePaymentPaid({ invoice: ids.invoice, paymentIntent: ids.paymentIntent, amount }),
      refunded: builders.chargeRefunded({ ...common, id: ids.charge, paymentIntent: ids.paymentIntent, amountRefunded: amount }),
    };
    return { ids, partner, events, invoicePayment: events.invoicePaymentPaid.data.object };
  }

  /** Delivers events one after the other, each processed before the next arrives (the arrival order under test). */
  async function deliver(tenant: keyof typeof tenants, events: StripeEvent[]) {
    for (const e of events) {
      await tenants[tenant].send(e).expect(200);
      await quiesce(app);
    }
  }

  const paymentsOf = async (tenant: keyof typeof tenants, ...stripeObjectIds: string[]) =>
    ((await tenants[tenant].admin.get('/v1/payments?limit=200').expect(200)).body.data as Payment[]).filter((p) => stripeObjectIds.includes(p.stripeObjectId));
  const commissionsOf = async (tenant: keyof typeof tenants, partnerId: string) =>
    (await tenants[tenant].admin.get(`/v1/commissions?partnerId=${partnerId}`).expect(200)).body.data as Commission[];

  /** Exactly one payment (the invoice's), attributed to the partner, and one commission of 20 %. */
  async function expectCountedOnce(tenant: keyof typeof tenants, s: Awaited<ReturnType<typeof subscription>>, refunded = 0) {
    await quiesce(app);
    const payments = await paymentsOf(tenant, s.ids.invoice, s.ids.charge);
    expect(payments.map((p) => [p.stripeObjectId, p.amount, p.refundedAmount, p.attribution.partnerId])).toEqual([
      [s.ids.invoice, 10_000, refunded, s.partner.id],
    ]);
    const commissions = await commissionsOf(tenant, s.partner.id);
    expect(commissions).toHaveLength(1);
    expect(commissions[0]).toMatchObject(refunded ? { amount: 0, status: 'reversed' } : { amount: 2000, status: 'pending' });
  }

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    app = await startTestApp({ STRIPE_API_BASE: emulator.url });
    const connect = async (name: string, apiKey?: string) => {
      const { admin, company } = await newCompany(app, { name });
      const secret = `whsec_basil_${name}`;
      await admin.put('/v1/company/stripe', { webhookSecret: secret, ...(apiKey ? { apiKey } : {}) }).expect(200);
      await admin
        .patch('/v1/company', {
          commissionPlan: { type: 'percentage', percent: 20 },
          invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 30, minimumPayout: 0 },
        })
        .expect(200);
      return { admin, send: stripeWebhooks(app, company.id, secret) };
    };
    tenants.events = await connect('events');
    tenants.lookup = await connect('lookup', 'rk_test_basil_lookup');
    tenants.rejected = await connect('rejected', 'rk_live_rejected_by_stripe');
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  describe('with invoice_payment.paid (no API key)', () => {
    const orders: [string, (e: Awaited<ReturnType<typeof subscription>>['events']) => StripeEvent[]][] = [
      ['invoice, invoice payment, charge', (e) => [e.invoicePaid, e.invoicePaymentPaid, e.chargeSucceeded]],
      ['invoice payment, charge, invoice', (e) => [e.invoicePaymentPaid, e.chargeSucceeded, e.invoicePaid]],
      ['invoice payment, invoice, charge', (e) => [e.invoicePaymentPaid, e.invoicePaid, e.chargeSucceeded]],
    ];
    it.each(orders)('%s → one payment, one commission; redeliveries change nothing', async (_, order) => {
      const s = await subscription('events');
      await deliver('events', order(s.events));
      await expectCountedOnce('events', s);
      await deliver('events', [...order(s.events)].reverse());
      await expectCountedOnce('events', s);
    });

    const refundOrders: [string, (e: Awaited<ReturnType<typeof subscription>>['events']) => StripeEvent[]][] = [
      ['invoice, invoice payment, refund', (e) => [e.invoicePaid, e.invoicePaymentPaid, e.refunded]],
      ['invoice, refund (parked), invoice payment', (e) => [e.invoicePaid, e.refunded, e.invoicePaymentPaid, e.chargeSucceeded]],
      ['refund (parked), invoice payment (moves it to the invoice), invoice', (e) => [e.refunded, e.invoicePaymentPaid, e.invoicePaid, e.chargeSucceeded]],
      ['invoice payment, refund (parks on the invoice), invoice', (e) => [e.invoicePaymentPaid, e.refunded, e.invoicePaid]],
    ];
    it.each(refundOrders)('refund of the subscription payment reverses its commission: %s', async (_, order) => {
      const s = await subscription('events');
      await deliver('events', order(s.events));
      await expectCountedOnce('events', s, 10_000);
    });

    it('a standalone new-shape charge (no invoice payment names it) is still a payment', async () => {
      const s = await subscription('events');
      await deliver('events', [s.events.chargeSucceeded]);
      const [p] = await paymentsOf('events', s.ids.charge);
      expect(p).toMatchObject({ amount: 10_000, attribution: { status: 'attributed', partnerId: s.partner.id } });
      expect(await commissionsOf('events', s.partner.id)).toHaveLength(1);
    });
  });

  describe('with the company’s API key (invoice_payments lookup, no invoice_payment.paid)', () => {
    const permutations = (xs: string[]): string[][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    it.each(permutations(['invoicePaid', 'chargeSucceeded', 'invoicePaymentPaid']).map((p) => [p.join(' → '), p] as const))(
      '%s → one payment',
      async (_, order) => {
        const s = await subscription('lookup');
        emulator.putObject('invoice_payments', s.invoicePayment);
        await deliver(
          'lookup',
          order.map((k) => s.events[k as keyof typeof s.events]),
        );
        await expectCountedOnce('lookup', s);
      },
    );

    it('charge first, then invoice: the charge is looked up by its payment intent with the company key', async () => {
      const s = await subscription('lookup');
      emulator.putObject('invoice_payments', s.invoicePayment);
      await deliver('lookup', [s.events.chargeSucceeded]);
      const asked = emulator.requests.filter((r) => r.path === '/v1/invoice_payments' && r.params.payment?.payment_intent === s.ids.paymentIntent);
      expect(asked).toHaveLength(1);
      expect(asked[0]!.headers.authorization).toBe('Bearer rk_test_basil_lookup');
      expect(asked[0]!.params.payment.type).toBe('payment_intent');
      expect(await paymentsOf('lookup', s.ids.charge)).toEqual([]);
      await deliver('lookup', [s.events.invoicePaid]);
      await expectCountedOnce('lookup', s);
    });

    it('a refund whose ids are unknown finds its invoice by lookup, before or after invoice.paid', async () => {
      const after = await subscription('lookup');
      emulator.putObject('invoice_payments', after.invoicePayment);
      await deliver('lookup', [after.events.invoicePaid, after.events.refunded, after.events.chargeSucceeded]);
      await expectCountedOnce('lookup', after, 10_000);

      const before = await subscription('lookup');
      emulator.putObject('invoice_payments', before.invoicePayment);
      await deliver('lookup', [before.events.refunded, before.events.invoicePaid]);
      await expectCountedOnce('lookup', before, 10_000);
    });

    it('a real standalone charge: the lookup finds no invoice payment, the charge is recorded', async () => {
      const s = await subscription('lookup');
      await deliver('lookup', [s.events.chargeSucceeded]);
      expect(emulator.requests.filter((r) => r.path === '/v1/invoice_payments' && r.params.payment?.payment_intent === s.ids.paymentIntent)).toHaveLength(1);
      const [p] = await paymentsOf('lookup', s.ids.charge);
      expect(p).toMatchObject({ amount: 10_000, attribution: { partnerId: s.partner.id } });
      await deliver('lookup', [s.events.refunded]);
      expect((await paymentsOf('lookup', s.ids.charge))[0]!.refundedAmount).toBe(10_000);
    });

    it('delivered all at once (concurrent reactor partitions, streams appended at the version read): each counted once and reversed', async () => {
      const subs = await Promise.all([1, 2, 3, 4].map(() => subscription('lookup')));
      for (const s of subs) emulator.putObject('invoice_payments', s.invoicePayment);
      await Promise.all(
        subs.flatMap((s) =>
          [s.events.refunded, s.events.invoicePaymentPaid, s.events.chargeSucceeded, s.events.invoicePaid].map((e) => tenants.lookup.send(e).expect(200)),
        ),
      );
      for (const s of subs) await expectCountedOnce('lookup', s, 10_000);
      const withoutKey = await Promise.all([1, 2, 3].map(() => subscription('events')));
      await Promise.all(
        withoutKey.flatMap((s) => [s.events.refunded, s.events.invoicePaymentPaid, s.events.invoicePaid].map((e) => tenants.events.send(e).expect(200))),
      );
      for (const s of withoutKey) await expectCountedOnce('events', s, 10_000);
    });

    it('a key Stripe rejects (401) is logged and the charge recorded as standalone', async () => {
      const s = await subscription('rejected');
      await deliver('rejected', [s.events.chargeSucceeded]);
      expect(await paymentsOf('rejected', s.ids.charge)).toHaveLength(1);
    });

    it('Stripe failing: the charge is parked (visible in /v1/admin/projections and /v1/admin/parked-events) and goes through on a retry', async () => {
      const s = await subscription('lookup');
      emulator.putObject('invoice_payments', s.invoicePayment);
      emulator.injectFault({ pathPrefix: '/v1/invoice_payments', status: 500, count: 1000 });
      await tenants.lookup.send(s.events.chargeSucceeded).expect(200);
      const operator = api(app, OPERATOR_KEY);
      const stopped = await eventually(
        async () => {
          const row = (
            (await operator.get('/v1/admin/projections').expect(200)).body.data as { name: string; status: string; parked: number; lastError?: string | null }[]
          ).find((p) => p.name === 'attribution_stripe_events');
          expect(row).toMatchObject({ status: 'failed', parked: 1 });
          return row!;
        },
        { timeoutMs: 30_000 },
      );
      expect(JSON.stringify(stopped)).toMatch(/500|error/i);
      expect(await paymentsOf('lookup', s.ids.charge)).toEqual([]);
      const [parked] = (await operator.get('/v1/admin/parked-events?subscriber=attribution_stripe_events').expect(200)).body.data as {
        id: string;
        status: string;
        kind: string;
        eventType: string;
      }[];
      expect(parked).toMatchObject({ status: 'parked', kind: 'reactor', eventType: 'StripeEventReceived' });
      emulator.clearFaults();
      expect((await operator.post(`/v1/admin/parked-events/${parked!.id}/retry`).expect(200)).body).toMatchObject({ status: 'resolved' });
      await deliver('lookup', [s.events.invoicePaid]);
      await expectCountedOnce('lookup', s);
    });
  });
});
