import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { startTestApp, newCompany, api, OPERATOR_KEY, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { quiesce } from '../support/quiesce.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import {
  builders,
  discountObject,
  invoiceObject,
  PRE_BASIL_API_VERSION,
  promotionCodeObject,
  startStripeEmulator,
  type StripeEmulator,
} from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';

const SECRET = 'whsec_tracking_e2e';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
type Payment = {
  id: string;
  stripeObjectId: string;
  attribution: { status: string; method: string | null; leadId: string | null; partnerId: string | null; trace: string[] };
};

/** Click ids and promotion codes through Stripe webhooks to attribution, then the funnel and its rebuild (SPEC §10). */
describe('click ids, promotion codes and the funnel', () => {
  let stripe: StripeEmulator;
  let app: RunningApp;
  let admin: Api;
  let send: ReturnType<typeof stripeWebhooks>;
  let pk: string;
  let jane: { id: string; referralKey: string; partnerApiKey: string };
  let max: { id: string; referralKey: string };
  let ip = 0;

  const clickOf = async (key: string) => {
    const res = await request(app.app.getHttpServer()).get(`/r/${key}`).set('X-Forwarded-For', `192.0.2.${++ip}`).set('User-Agent', CHROME).expect(302);
    return new URL(res.headers.location).searchParams.get('pf_ref')!;
  };
  const paymentOf = (stripeObjectId: string) =>
    eventually(async () => {
      const p = ((await admin.get('/v1/payments?limit=200').expect(200)).body.data as Payment[]).find((x) => x.stripeObjectId === stripeObjectId);
      expect(p).toBeDefined();
      return p!;
    });
  const leadOfCustomer = (customerId: string) =>
    eventually(async () => {
      const lead = (
        (await admin.get('/v1/leads?limit=200').expect(200)).body.data as { id: string; partnerId: string; email: string; stripeCustomerId: string | null }[]
      ).find((l) => l.stripeCustomerId === customerId);
      expect(lead).toBeDefined();
      return lead!;
    });

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    app = await startTestApp({ STRIPE_API_BASE: stripe.url, TRUST_PROXY: 'loopback' });
    const c = await newCompany(app, { name: 'Funnel Co' });
    admin = c.admin;
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET, apiKey: 'rk_test_tracking' }).expect(200);
    pk = (await admin.patch('/v1/company', { tracking: { landingUrl: 'https://funnel.example/', allowedOrigins: ['https://funnel.example'] } }).expect(200))
      .body.publishableKey;
    send = stripeWebhooks(app, c.company.id, SECRET);
    jane = (await admin.post('/v1/partners', { name: 'Jane', email: 'jane@partner.example', currency: 'usd' }).expect(201)).body;
    max = (await admin.post('/v1/partners', { name: 'Max', email: 'max@partner.example', currency: 'usd' }).expect(201)).body;
  });
  afterAll(async () => {
    await app.close();
    await stripe.close();
  });

  describe('checkout client_reference_id = click id', () => {
    it('links the customer to the click’s signup lead; its payments are attributed by client_reference_id', async () => {
      const clickId = await clickOf(jane.referralKey);
      const lead = (
        await request(app.app.getHttpServer()).post('/v1/track/leads').send({ publishableKey: pk, clickId, email: 'signup@visitor.example' }).expect(200)
      ).body;
      await send(builders.checkoutSessionCompleted({ clientReferenceId: clickId, customer: 'cus_CLK1', email: 'paid-with-other@visitor.example' })).expect(200);
      expect((await leadOfCustomer('cus_CLK1')).id).toBe(lead.id);
      const invoice = builders.invoicePaid({ customer: 'cus_CLK1', amount: 5000, tax: 500, email: 'paid-with-other@visitor.example' });
      await send(invoice).expect(200);
      const p = await paymentOf(invoice.data.object.id);
      expect(p.attribution).toMatchObject({ status: 'attributed', method: 'client_reference_id', leadId: lead.id, partnerId: jane.id });
      expect(p.attribution.trace).toEqual([`lead ${lead.id} has customer cus_CLK1 (linked by checkout client_reference_id)`]);
    });

    it('creates the click’s lead from the session’s email when the visitor never signed up', async () => {
      const clickId = await clickOf(jane.referralKey);
      await send(builders.checkoutSessionCompleted({ clientReferenceId: clickId, customer: 'cus_CLK2', email: 'direct@visitor.example' })).expect(200);
      expect(await leadOfCustomer('cus_CLK2')).toMatchObject({ partnerId: jane.id, email: 'direct@visitor.example' });
    });

    it('ignores a click id of no click of this company', async () => {
      await send(
        builders.checkoutSessionCompleted({ clientReferenceId: `clk_${'a'.repeat(32)}_1`, customer: 'cus_CLK3', email: 'ghost@visitor.example' }),
      ).expect(200);
      await quiesce(app);
      expect(
        ((await admin.get('/v1/leads?limit=200').expect(200)).body.data as { stripeCustomerId: string | null }[]).some(
          (l) => l.stripeCustomerId === 'cus_CLK3',
        ),
      ).toBe(false);
    });
  });

  describe('promotion codes', () => {
    it('are set on a partner, normalized, unique within the company, and released when dropped', async () => {
      const set = await admin.patch(`/v1/partners/${jane.id}`, { promotionCodes: ['jane20', 'promo_JANE1', 'JANE20'] }).expect(200);
      expect(set.body.promotionCodes).toEqual(['JANE20', 'promo_JANE1']);
      const taken = await admin.patch(`/v1/partners/${max.id}`, { promotionCodes: ['Jane20'] }).expect(409);
      expect(taken.body).toMatchObject({ code: 'promotion_code_taken', partnerId: jane.id });
      await admin.patch(`/v1/partners/${max.id}`, { promotionCodes: ['bad code!'] }).expect(400);
      await admin.patch(`/v1/partners/${max.id}`, { promotionCodes: 'MAX' }).expect(400);
      await admin.patch(`/v1/partners/${max.id}`, { promotionCodes: Array.from({ length: 51 }, (_, i) => `C${i}`) }).expect(400);
      await admin.patch(`/v1/partners/${jane.id}`, { promotionCodes: ['promo_JANE1', 'JANE20', 'TEMP'] }).expect(200);
      await admin.patch(`/v1/partners/${jane.id}`, { promotionCodes: ['promo_JANE1', 'JANE20'] }).expect(200);
      expect((await admin.patch(`/v1/partners/${max.id}`, { promotionCodes: ['temp', 'promo_MAX1'] }).expect(200)).body.promotionCodes).toEqual([
        'TEMP',
        'promo_MAX1',
      ]);
    });

    it('an invoice of an old API version with a partner’s promotion code id beats the email, and links the customer', async () => {
      await admin.post('/v1/leads', { partnerId: max.id, email: 'buyer@visitor.example' }).expect(201);
      const invoice = builders.invoicePaid({
        apiVersion: PRE_BASIL_API_VERSION,
        customer: 'cus_PROMO1',
        email: 'buyer@visitor.example',
        amount: 8000,
        discounts: [{ discount: discountObject({ promotionCode: 'promo_JANE1', legacy: true }), amount: 2000 }],
      });
      await send(invoice).expect(200);
      const p = await paymentOf(invoice.data.object.id);
      expect(p.attribution).toMatchObject({ status: 'attributed', method: 'promotion_code', partnerId: jane.id });
      expect(p.attribution.trace[1]).toMatch(/^promotion code promo_JANE1 is partner pa_\w+'s: new lead ld_/);
      expect(await leadOfCustomer('cus_PROMO1')).toMatchObject({ id: p.attribution.leadId, partnerId: jane.id });
      const next = builders.invoicePaid({ customer: 'cus_PROMO1', amount: 8000 });
      await send(next).expect(200);
      expect((await paymentOf(next.data.object.id)).attribution).toMatchObject({ method: 'promotion_code', leadId: p.attribution.leadId });
    });

    it('an invoice of API ≥ 2025-03-31 names Discount ids: expanded with the company key, its code matched', async () => {
      const promo = promotionCodeObject({ id: 'promo_CODEONLY', code: 'JANE20' });
      const discount = discountObject({ promotionCode: promo.id });
      stripe.putObject('promotion_codes', promo);
      stripe.putObject('discounts', discount);
      const invoice = builders.invoicePaid({ customer: 'cus_PROMO2', email: 'basil@visitor.example', amount: 6000, discounts: [{ discount, amount: 1000 }] });
      stripe.putObject('invoices', invoice.data.object);
      await send(invoice).expect(200);
      const p = await paymentOf(invoice.data.object.id);
      expect(p.attribution).toMatchObject({ status: 'attributed', method: 'promotion_code', partnerId: jane.id });
      expect(stripe.requests.some((r) => r.method === 'GET' && r.path === `/v1/invoices/${invoice.data.object.id}`)).toBe(true);
    });

    it('a checkout session with a promotion code and no client_reference_id links the customer', async () => {
      await send(
        builders.checkoutSessionCompleted({
          customer: 'cus_PROMO3',
          email: 'session@visitor.example',
          promotionCode: { id: 'promo_MAX1', coupon: 'M10', amountOff: 100 },
        }),
      ).expect(200);
      expect(await leadOfCustomer('cus_PROMO3')).toMatchObject({ partnerId: max.id, email: 'session@visitor.example' });
      const invoice = builders.invoicePaid({ customer: 'cus_PROMO3', amount: 3000 });
      await send(invoice).expect(200);
      expect((await paymentOf(invoice.data.object.id)).attribution).toMatchObject({ method: 'promotion_code', partnerId: max.id });
    });

    it('a promotion code no partner holds leaves the trace and the email decides', async () => {
      await admin.post('/v1/leads', { partnerId: max.id, email: 'only-max@visitor.example' }).expect(201);
      const invoice = builders.invoicePaid({
        apiVersion: PRE_BASIL_API_VERSION,
        customer: 'cus_PROMO4',
        email: 'only-max@visitor.example',
        discounts: [{ discount: discountObject({ promotionCode: 'promo_NOBODY', legacy: true }), amount: 100 }],
      });
      await send(invoice).expect(200);
      const p = await paymentOf(invoice.data.object.id);
      expect(p.attribution).toMatchObject({ method: 'email', partnerId: max.id });
      expect(p.attribution.trace).toContain('no partner has promotion code promo_NOBODY');
    });
  });

  /** Issue 13's customer-less checkouts meet issue 18's click ids and promotion codes: the payment intent names the lead. */
  describe('customer-less checkouts (payment mode, no Stripe customer)', () => {
    let g: { admin: Api; send: ReturnType<typeof stripeWebhooks>; partner: { id: string; referralKey: string } };
    const guestPayment = (stripeObjectId: string) =>
      eventually(async () => {
        const p = ((await g.admin.get('/v1/payments?limit=200').expect(200)).body.data as Payment[]).find((x) => x.stripeObjectId === stripeObjectId);
        expect(p).toBeDefined();
        return p!;
      });

    beforeAll(async () => {
      const c = await newCompany(app, { name: 'Guest Co' });
      await c.admin.put('/v1/company/stripe', { webhookSecret: 'whsec_guest_e2e' }).expect(200);
      await c.admin.patch('/v1/company', { tracking: { landingUrl: 'https://guests.example/' } }).expect(200);
      const partner = (await c.admin.post('/v1/partners', { name: 'Gina', email: 'gina@partner.example', currency: 'usd' }).expect(201)).body;
      await c.admin.patch(`/v1/partners/${partner.id}`, { promotionCodes: ['promo_GUEST'] }).expect(200);
      const other = (await c.admin.post('/v1/partners', { name: 'Otto', email: 'otto@partner.example', currency: 'usd' }).expect(201)).body;
      await c.admin.post('/v1/leads', { partnerId: other.id, email: 'card@guest.example' }).expect(201);
      g = { admin: c.admin, send: stripeWebhooks(app, c.company.id, 'whsec_guest_e2e'), partner };
    });

    it('a click id names the lead of the session’s payment intent: its charge is attributed by client_reference_id, before the card’s email', async () => {
      const clickId = await clickOf(g.partner.referralKey);
      const session = builders.checkoutSessionCompleted({
        mode: 'payment',
        customer: null,
        paymentIntent: 'pi_GUESTCLICK',
        clientReferenceId: clickId,
        email: 'guest@visitor.example',
      });
      await g.send(session).expect(200);
      const charge = builders.chargeSucceeded({ customer: null, paymentIntent: 'pi_GUESTCLICK', email: 'card@guest.example', amount: 3000 });
      await g.send(charge).expect(200);
      const p = await guestPayment(charge.data.object.id);
      expect(p.attribution).toMatchObject({ status: 'attributed', method: 'client_reference_id', partnerId: g.partner.id });
      expect(p.attribution.trace).toEqual([
        'payment has no customer id',
        `checkout session ${session.data.object.id} named lead ${p.attribution.leadId} (client_reference_id) for payment intent pi_GUESTCLICK`,
      ]);
      const lead = (await g.admin.get(`/v1/leads/${p.attribution.leadId}`).expect(200)).body;
      expect(lead).toMatchObject({ partnerId: g.partner.id, email: 'guest@visitor.example', stripeCustomerId: null });
    });

    it('a promotion code names it when there is no client_reference_id, also when the charge came first', async () => {
      const charge = builders.chargeSucceeded({ customer: null, paymentIntent: 'pi_GUESTPROMO', email: 'promo-card@guest.example', amount: 1500 });
      await g.send(charge).expect(200);
      const before = await guestPayment(charge.data.object.id);
      expect(before.attribution.trace).toEqual([
        'payment has no customer id',
        'no checkout session named a lead for payment intent pi_GUESTPROMO',
        'no lead with email promo-card@guest.example',
      ]);
      const session = builders.checkoutSessionCompleted({
        mode: 'payment',
        customer: null,
        paymentIntent: 'pi_GUESTPROMO',
        email: 'promo@visitor.example',
        promotionCode: { id: 'promo_GUEST', coupon: 'G10', amountOff: 150 },
      });
      await g.send(session).expect(200);
      const p = await eventually(async () => {
        const found = await guestPayment(charge.data.object.id);
        expect(found.attribution.status).toBe('attributed');
        return found;
      });
      expect(p.attribution).toMatchObject({ method: 'promotion_code', partnerId: g.partner.id });
      expect(p.attribution.trace.at(-1)).toBe(
        `checkout session ${session.data.object.id} named lead ${p.attribution.leadId} (promotion code) for payment intent pi_GUESTPROMO`,
      );
    });

    it('the funnel counts both guests as customers and as paying customers', async () => {
      await quiesce(app);
      const today = new Date().toISOString().slice(0, 10);
      const res = await g.admin.get(`/v1/partners/${g.partner.id}/funnel?from=${today}&to=${today}`).expect(200);
      expect(res.body.data).toEqual([
        expect.objectContaining({ clicks: 1, leads: 2, customers: 2, payingCustomers: 2, revenue: [{ currency: 'usd', amount: 4500 }] }),
      ]);
    });
  });

  describe('funnel', () => {
    it('counts clicks, leads, customers, paying customers, revenue and commissions per period', async () => {
      await quiesce(app);
      const today = new Date().toISOString().slice(0, 10);
      const res = await admin.get(`/v1/partners/${jane.id}/funnel?from=${today}&to=${today}&interval=day`).expect(200);
      expect(res.body.data).toEqual([
        {
          periodStart: today,
          clicks: 2,
          leads: 4,
          customers: 4,
          payingCustomers: 3,
          revenue: [{ currency: 'usd', amount: 4500 + 8000 + 8000 + 6000 }],
          commissions: [expect.objectContaining({ currency: 'usd' })],
        },
      ]);
      const portal = await api(app, jane.partnerApiKey).get(`/v1/portal/funnel?from=${today}&to=${today}`).expect(200);
      expect(portal.body).toEqual(res.body);
      const weeks = await admin.get(`/v1/partners/${jane.id}/funnel?to=${today}&interval=week`).expect(200);
      expect(weeks.body.data.reduce((s: number, p: { clicks: number }) => s + p.clicks, 0)).toBe(2);
      expect(weeks.body.data.every((p: { periodStart: string }) => p.periodStart <= today)).toBe(true);
    });

    it('ranks partners in the leaderboard', async () => {
      const board = (await admin.get('/v1/reports/partners').expect(200)).body;
      expect(board.data.map((r: { partnerId: string }) => r.partnerId)).toEqual([jane.id, max.id]);
      expect(board.data[0]).toMatchObject({ name: 'Jane', clicks: 2, customers: 4, revenue: [{ currency: 'usd', amount: 26500 }] });
      expect(board.nextCursor).toBeNull();
      const first = (await admin.get('/v1/reports/partners?limit=1').expect(200)).body;
      expect(first.data).toHaveLength(1);
      expect((await admin.get(`/v1/reports/partners?limit=1&cursor=${first.nextCursor}`).expect(200)).body.data[0].partnerId).toBe(max.id);
    });

    it.each([
      ['from=2026-02-30', 'from'],
      ['from=2026-1-01', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-02-01&to=2026-01-01', 'from'],
      ['from=2000-01-01&to=2026-01-01&interval=day', 'from'],
      ['from=2025-01-01&to=2026-06-01&interval=day', 'interval'],
      ['interval=hour', 'interval'],
    ])('refuses %s naming %s', async (query, field) => {
      const res = await admin.get(`/v1/partners/${jane.id}/funnel?${query}`).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for another company’s partner', async () => {
      const { admin: other } = await newCompany(app, { name: 'Elsewhere' });
      await other.get(`/v1/partners/${jane.id}/funnel`).expect(404);
      expect((await other.get('/v1/reports/partners').expect(200)).body.data).toEqual([]);
    });

    it('equals a rebuild of the read model', async () => {
      await quiesce(app);
      const op = api(app, OPERATOR_KEY);
      const today = new Date().toISOString().slice(0, 10);
      const snapshot = async () => ({
        funnel: (await admin.get(`/v1/partners/${jane.id}/funnel?from=${today}&to=${today}`).expect(200)).body,
        board: (await admin.get('/v1/reports/partners').expect(200)).body,
        checksum: ((await op.get('/v1/admin/projections?checksum=fresh').expect(200)).body.data as { name: string; checksum: string }[]).find(
          (s) => s.name === 'tracking_funnel',
        )!.checksum,
      });
      const live = await snapshot();
      expect(live.checksum).toMatch(/^[0-9a-f]{32}$/);
      await op.post('/v1/admin/projections/rebuild', { names: ['tracking_funnel'] }).expect(202);
      await eventually(
        async () =>
          expect(
            ((await op.get('/v1/admin/projections?checksum=false').expect(200)).body.data as { status: string }[]).every((s) => s.status === 'running'),
          ).toBe(true),
        { timeoutMs: 30_000 },
      );
      await quiesce(app);
      expect(await snapshot()).toEqual(live);
    });
  });
});
