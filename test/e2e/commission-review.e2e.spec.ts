import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { startTestApp, newCompany, api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { quiesce } from '../support/quiesce.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders, PRE_BASIL_API_VERSION, startStripeEmulator, type StripeEmulator, type StripeEvent } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';

const SECRET = 'whsec_review_e2e';
const API_KEY = 'sk_test_review_company';
type Payment = {
  id: string;
  stripeObjectId: string;
  refundedAmount: number;
  attribution: { status: string; partnerId: string | null };
  commissionExcluded: { where: string; reason: string } | null;
};
type Commission = {
  id: string;
  status: string;
  amount: number;
  flags: { code: string; detail: string }[];
  review: string | null;
  declineReason: string | null;
  reviewedAt: string | null;
};

describe('commission review, exclusions and fraud flags over signed Stripe webhooks (SPEC §11)', () => {
  let emulator: StripeEmulator;
  let app: RunningApp;
  let n = 0;

  /** A company with its Stripe account connected (webhook secret and API key) and its webhook sender. */
  async function tenant(settings: object = {}, apiKey: string | null = API_KEY) {
    const { admin, company } = await newCompany(app, { name: `Co ${randomUUID().slice(0, 6)}` });
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET, ...(apiKey && { apiKey }) }).expect(200);
    await admin
      .patch('/v1/company', {
        commissionPlan: { type: 'percentage', percent: 20 },
        invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 },
        ...settings,
      })
      .expect(200);
    return { admin, companyId: company.id, send: stripeWebhooks(app, company.id, SECRET) };
  }
  type Tenant = Awaited<ReturnType<typeof tenant>>;

  const partner = async (t: Tenant, email = `p${++n}@partner${n}.example`) =>
    (await t.admin.post('/v1/partners', { name: `P${n}`, email, currency: 'usd' }).expect(201)).body as { id: string; partnerApiKey: string };
  const lead = async (t: Tenant, partnerId: string, email: string, customer = `cus_Review${randomUUID().replaceAll('-', '').slice(0, 12)}`) => {
    await t.admin.post('/v1/leads', { partnerId, email, stripeCustomerId: customer }).expect(201);
    return customer;
  };
  const paymentOf = (t: Tenant, stripeObjectId: string) =>
    eventually(async () => {
      const found = ((await t.admin.get('/v1/payments?limit=200').expect(200)).body.data as Payment[]).find((p) => p.stripeObjectId === stripeObjectId);
      expect(found).toBeDefined();
      return found!;
    });
  const commissionsOf = (t: Tenant, partnerId: string, count: number) =>
    eventually(async () => {
      const data = (await t.admin.get(`/v1/commissions?partnerId=${partnerId}`).expect(200)).body.data as Commission[];
      expect(data).toHaveLength(count);
      return data;
    });
  /** Delivers a payment event and waits until everything it causes is processed. */
  const deliver = async (t: Tenant, event: StripeEvent) => {
    await t.send(event).expect(200);
    await quiesce(app);
    return paymentOf(t, event.data.object.id);
  };

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    app = await startTestApp({ STRIPE_API_BASE: emulator.url, WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  describe('exclusion by metadata partnerflow: "false": recorded and attributed, no commission, the reason names where', () => {
    let t: Tenant;
    let p: { id: string };
    beforeAll(async () => {
      t = await tenant();
      p = await partner(t);
    });

    const expectExcluded = async (event: StripeEvent, where: string, id: string) => {
      const payment = await deliver(t, event);
      expect(payment.attribution).toMatchObject({ status: 'attributed', partnerId: p.id });
      expect(payment.commissionExcluded).toEqual({ where, reason: `metadata partnerflow: "false" on ${where} ${id}` });
      expect((await t.admin.get(`/v1/commissions/cm_${payment.id}`)).status).toBe(404);
    };

    it('on the invoice', async () => {
      const customer = await lead(t, p.id, `inv${++n}@customer.example`);
      await expectExcluded(builders.invoicePaid({ id: `in_Excl${n}`, customer, metadata: { partnerflow: 'false' } }), 'invoice', `in_Excl${n}`);
    });

    it('on the subscription, new shape (parent.subscription_details) and old shape (subscription_details)', async () => {
      const customer = await lead(t, p.id, `sub${++n}@customer.example`);
      await expectExcluded(
        builders.invoicePaid({ customer, subscription: `sub_New${n}`, subscriptionMetadata: { partnerflow: 'false' } }),
        'subscription',
        `sub_New${n}`,
      );
      await expectExcluded(
        builders.invoicePaid({ customer, subscription: `sub_Old${n}`, subscriptionMetadata: { partnerflow: 'false' }, apiVersion: PRE_BASIL_API_VERSION }),
        'subscription',
        `sub_Old${n}`,
      );
    });

    it('on a standalone charge', async () => {
      const customer = await lead(t, p.id, `ch${++n}@customer.example`);
      await expectExcluded(
        builders.chargeSucceeded({ id: `ch_Excl${n}`, customer, metadata: { partnerflow: 'false' }, apiVersion: PRE_BASIL_API_VERSION }),
        'charge',
        `ch_Excl${n}`,
      );
    });

    it('on the customer, fetched from Stripe with the company’s key; a customer without it earns', async () => {
      const stripe = new Stripe(API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
      const flagged = await stripe.customers.create({ email: `cu${++n}@customer.example`, metadata: { partnerflow: 'false' } });
      await lead(t, p.id, flagged.email!, flagged.id);
      await expectExcluded(builders.invoicePaid({ customer: flagged.id }), 'customer', flagged.id);
      expect(emulator.requests.some((r) => r.method === 'GET' && r.path === `/v1/customers/${flagged.id}`)).toBe(true);

      const plain = await stripe.customers.create({ email: `cu${++n}@customer.example`, metadata: { plan: 'pro' } });
      const other = await partner(t);
      await lead(t, other.id, plain.email!, plain.id);
      const payment = await deliver(t, builders.invoicePaid({ customer: plain.id, amount: 5000 }));
      expect(payment.commissionExcluded).toBeNull();
      expect(await commissionsOf(t, other.id, 1)).toMatchObject([{ amount: 1000, status: 'payable', flags: [], review: 'auto' }]);
    });

    it('on the customer, known from customer.created / customer.updated when the company has no API key', async () => {
      const keyless = await tenant({}, null);
      const q = await partner(keyless);
      const customer = await lead(keyless, q.id, `ev${++n}@customer.example`);
      await keyless.send(builders.customerCreated({ id: customer, metadata: {} })).expect(200);
      await keyless.send(builders.customerUpdated({ id: customer, metadata: { partnerflow: 'false' } })).expect(200);
      await quiesce(app);
      const payment = await deliver(keyless, builders.invoicePaid({ customer, amount: 5000 }));
      expect(payment.commissionExcluded).toEqual({
        where: 'customer',
        reason: expect.stringContaining(`metadata partnerflow: "false" on customer ${customer}`),
      });
      expect((await keyless.admin.get(`/v1/commissions/cm_${payment.id}`)).status).toBe(404);
      await keyless.send(builders.customerUpdated({ id: customer, metadata: { partnerflow: '' } })).expect(200);
      await quiesce(app);
      const later = await deliver(keyless, builders.invoicePaid({ customer, amount: 5000 }));
      expect(later.commissionExcluded).toBeNull();
      expect(await commissionsOf(keyless, q.id, 1)).toMatchObject([{ amount: 1000 }]);
    });
  });

  describe('fraud flags: a flagged commission waits in pending_review under auto review', () => {
    let t: Tenant;
    beforeAll(async () => {
      t = await tenant();
    });

    it('self_referral: the lead’s email shares the partner’s company domain', async () => {
      const p = await partner(t, 'joe@selfref.example');
      const customer = await lead(t, p.id, 'cfo@selfref.example');
      await deliver(t, builders.invoicePaid({ customer, amount: 10000 }));
      const [c] = await commissionsOf(t, p.id, 1);
      expect(c).toMatchObject({
        status: 'pending_review',
        review: 'auto',
        flags: [{ code: 'self_referral', detail: expect.stringContaining('selfref.example') }],
      });
    });

    it('no self_referral for a shared webmail domain', async () => {
      const p = await partner(t, `joe${++n}@gmail.com`);
      const customer = await lead(t, p.id, `someone${n}@gmail.com`);
      await deliver(t, builders.invoicePaid({ customer, amount: 10000 }));
      expect(await commissionsOf(t, p.id, 1)).toMatchObject([{ status: 'payable', flags: [] }]);
    });

    it('duplicate_customer: the paying customer’s email is also a lead of another partner', async () => {
      const [a, b] = [await partner(t), await partner(t)];
      const email = `shared${++n}@customer.example`;
      const customer = await lead(t, a.id, email);
      await t.admin.post('/v1/leads', { partnerId: b.id, email }).expect(201);
      await deliver(t, builders.invoicePaid({ customer, email, amount: 10000 }));
      const [c] = await commissionsOf(t, a.id, 1);
      expect(c!.status).toBe('pending_review');
      expect(c!.flags).toEqual([{ code: 'duplicate_customer', detail: expect.stringContaining(`of partner ${b.id}`) }]);
      // The partner sees its commission waiting, never the flags (they name another partner's lead).
      const own = (await api(app, a.partnerApiKey).get('/v1/portal/commissions').expect(200)).body.data as Commission[];
      expect(own).toMatchObject([{ id: c!.id, status: 'pending_review', flags: [] }]);
      // Another company cannot see or review it.
      const stranger = await tenant();
      await stranger.admin.post(`/v1/commissions/${c!.id}/approve`, {}).expect(404);
    });

    it('high_refund_rate: over 30 % refunded in 90 days with ≥ 5 payments, the new one included', async () => {
      const p = await partner(t);
      for (let i = 0; i < 4; i++) {
        const customer = await lead(t, p.id, `r${++n}@customer.example`);
        const charge = `ch_Refund${n}`;
        await deliver(t, builders.invoicePaid({ customer, amount: 10000, charge, apiVersion: PRE_BASIL_API_VERSION }));
        if (i < 2)
          await t.send(builders.chargeRefunded({ id: charge, customer, amount: 10000, amountRefunded: 10000, apiVersion: PRE_BASIL_API_VERSION })).expect(200);
      }
      await quiesce(app);
      const before = await commissionsOf(t, p.id, 4);
      expect(before.every((c) => c.flags.length === 0)).toBe(true); // four payments: too few to judge
      const customer = await lead(t, p.id, `r${++n}@customer.example`);
      await deliver(t, builders.invoicePaid({ customer, amount: 10000 }));
      const fifth = (await commissionsOf(t, p.id, 5))[4]!;
      expect(fifth).toMatchObject({
        status: 'pending_review',
        flags: [{ code: 'high_refund_rate', detail: expect.stringContaining('40% of usd revenue (20000 of 50000 minor units)') }],
      });
    });
  });

  describe('manual review: approve, decline, bulk, idempotent, 409 once invoiced', () => {
    let t: Tenant;
    let p: { id: string };
    const pay = async (amount = 10000) => {
      const customer = await lead(t, p.id, `m${++n}@customer.example`);
      const payment = await deliver(t, builders.invoicePaid({ customer, amount }));
      return `cm_${payment.id}`;
    };

    beforeAll(async () => {
      t = await tenant({ commissionReview: 'manual' });
      p = await partner(t);
    });

    it('the setting shows on the company and refuses other values', async () => {
      expect((await t.admin.get('/v1/company').expect(200)).body).toMatchObject({ commissionReview: 'manual', fraud: { refundRateThreshold: 0.3 } });
      const bad = await t.admin.patch('/v1/company', { commissionReview: 'sometimes' }).expect(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(bad.body)).toContain('commissionReview');
      expect(JSON.stringify((await t.admin.patch('/v1/company', { fraud: { refundRateThreshold: 1.5 } }).expect(400)).body)).toContain('refundRateThreshold');
    });

    it('every new commission waits; approve makes it payable (hold over), decline keeps the reason; the same review again changes nothing', async () => {
      // Deliveries to a closed local port fail and stay listed: what matters is which events were sent.
      const endpoint = (
        await t.admin.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:1/review', events: ['commission.approved', 'commission.declined'] }).expect(201)
      ).body.id as string;
      const [approveId, declineId] = [await pay(), await pay()];
      expect((await t.admin.get(`/v1/commissions/${approveId}`).expect(200)).body).toMatchObject({ status: 'pending_review', review: 'manual', flags: [] });
      const approved = (await t.admin.post(`/v1/commissions/${approveId}/approve`, {}).expect(200)).body as Commission;
      expect(approved).toMatchObject({ status: 'payable', reviewedAt: expect.any(String) });
      expect((await t.admin.post(`/v1/commissions/${approveId}/approve`, {}).expect(200)).body).toEqual(approved);

      const declined = (await t.admin.post(`/v1/commissions/${declineId}/decline`, { reason: '  self-referral  ' }).expect(200)).body as Commission;
      expect(declined).toMatchObject({ status: 'declined', declineReason: 'self-referral' });
      await t.admin.post(`/v1/commissions/${declineId}/decline`, { reason: 'again' }).expect(200);
      expect((await t.admin.get(`/v1/commissions/${declineId}`).expect(200)).body.declineReason).toBe('self-referral');

      const refused = await t.admin.post(`/v1/commissions/${declineId}/approve`, {}).expect(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.code).toBe('commission_declined');
      expect((await t.admin.post(`/v1/commissions/${approveId}/decline`, { reason: 'x' }).expect(409)).body.code).toBe('commission_approved');
      expect((await t.admin.post(`/v1/commissions/${declineId}/decline`, {}).expect(400)).body.detail ?? '').toBeDefined();
      await t.admin.post('/v1/commissions/cm_unknown/approve', {}).expect(404);

      await eventually(async () => {
        const sent = (await t.admin.get(`/v1/webhook-endpoints/${endpoint}/deliveries`).expect(200)).body.data as { type: string }[];
        expect(sent.map((d) => d.type).sort()).toEqual(['commission.approved', 'commission.declined']);
      });
      const history = (await t.admin.get(`/v1/audit/streams/commission/${declineId}`).expect(200)).body.data as { type: string }[];
      expect(history.map((e) => e.type)).toEqual(['CommissionEarned', 'CommissionDeclined']);
      const balance = (await t.admin.get(`/v1/partners/${p.id}/balance`).expect(200)).body.balances as { currency: string; pending: number; payable: number }[];
      expect(balance).toEqual([expect.objectContaining({ currency: 'usd', pending: 0, payable: 2000 })]);
    });

    it('bulk: a result per row in order; bad rows (unknown id, no reason, bad action, not an object) never stop the others', async () => {
      const [a, b] = [await pay(), await pay()];
      const res = await t.admin
        .post('/v1/commissions/review/bulk', {
          items: [
            { commissionId: a, action: 'approve' },
            { commissionId: 'cm_nope', action: 'approve' },
            { commissionId: b, action: 'decline' },
            { commissionId: b, action: 'reject', reason: 'x' },
            'cm_x',
            { commissionId: b, action: 'decline', reason: 'duplicate customer' },
          ],
        })
        .expect(200);
      expect(res.body.results).toEqual([
        { index: 0, ok: true, commissionId: a, action: 'approve' },
        { index: 1, ok: false, commissionId: 'cm_nope', action: 'approve', error: expect.stringContaining('not found'), code: 'not_found' },
        { index: 2, ok: false, commissionId: b, action: 'decline', error: 'a decline needs a reason', code: 'invalid_field' },
        { index: 3, ok: false, commissionId: b, action: null, error: expect.stringContaining('action'), code: 'invalid_field' },
        { index: 4, ok: false, commissionId: null, action: null, error: expect.any(String), code: 'invalid_field' },
        { index: 5, ok: true, commissionId: b, action: 'decline' },
      ]);
      expect((await t.admin.get(`/v1/commissions/${a}`).expect(200)).body.status).toBe('payable');
      expect((await t.admin.get(`/v1/commissions/${b}`).expect(200)).body).toMatchObject({ status: 'declined', declineReason: 'duplicate customer' });
      const list = (await t.admin.get(`/v1/commissions?partnerId=${p.id}&limit=200`).expect(200)).body as { data: Commission[]; totals: { amount: number }[] };
      const owed = list.data.filter((c) => c.status !== 'declined').reduce((sum, c) => sum + c.amount, 0);
      expect(list.totals).toEqual([{ currency: 'usd', amount: owed }]);
      const declinedTotals = (await t.admin.get(`/v1/commissions?partnerId=${p.id}&status=declined`).expect(200)).body.totals;
      expect(declinedTotals).toEqual([{ currency: 'usd', amount: list.data.filter((c) => c.status === 'declined').reduce((sum, c) => sum + c.amount, 0) }]);
      const csv = (await t.admin.get('/v1/exports/commissions.csv?status=declined').expect(200)).text.split('\r\n');
      expect(csv[0]).toMatch(/,flags,declineReason$/);
      expect(csv.find((line) => line.startsWith(`${b},`))).toMatch(/,duplicate customer$/);
      await t.admin.post('/v1/commissions/review/bulk', { items: [] }).expect(422);
      await t.admin.post('/v1/commissions/review/bulk', { items: Array.from({ length: 101 }, () => ({ commissionId: a, action: 'approve' })) }).expect(422);
    });

    it('declined and in-review commissions never reach an invoice; reviewing an invoiced one is a 409 with the reason', async () => {
      const q = await partner(t);
      p = q;
      const [approved, declined, waiting] = [await pay(3000), await pay(4000), await pay(5000)];
      await t.admin.post(`/v1/commissions/${approved}/approve`, {}).expect(200);
      await t.admin.post(`/v1/commissions/${declined}/decline`, { reason: 'test order' }).expect(200);
      await t.admin.post('/v1/invoices/generate', { periodEnd: new Date().toISOString().slice(0, 10) }).expect(200);
      const invoices = await eventually(async () => {
        const data = (await t.admin.get('/v1/invoices').expect(200)).body.data as { partnerId: string; lines: { commissionId: string }[] }[];
        const mine = data.filter((i) => i.partnerId === q.id);
        expect(mine).toHaveLength(1);
        return mine;
      });
      expect(invoices[0]!.lines.map((l) => l.commissionId)).toEqual([approved]);
      const conflict = await t.admin.post(`/v1/commissions/${approved}/approve`, {}).expect(409);
      expect(conflict.body).toMatchObject({ code: 'commission_invoiced', detail: expect.stringContaining('void the invoice') });
      expect((await t.admin.get(`/v1/commissions/${waiting}`).expect(200)).body.status).toBe('pending_review');
    });
  });
});
