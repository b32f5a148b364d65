import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { startTestApp, api, OPERATOR_KEY, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { quiesce, stopScheduledJobs } from '../support/quiesce.js';
import { readSql, type Sql } from '../../libs/database/sql.js';
import { startStripeEmulator, builders, discountObject, makeEvent, PRE_BASIL_API_VERSION, type StripeEmulator } from '../stripe-emulator/index.js';

/** The company's account is on an API version before 2025-03-31: its charges name their invoices. */
const PRE_BASIL = { apiVersion: PRE_BASIL_API_VERSION };
import type { RunningApp } from '../../src/bootstrap.js';
import { publishRates } from './commissions-support.js';
import { START, type RecordedEvent } from '../../libs/event-store/event-store.port.js';
import {
  addCard,
  deliver,
  newPartner,
  onboardedPartner,
  paymentIntentsOf,
  payoutTenant,
  registerPlatformEndpoints,
  type Partner,
  type Tenant,
} from './payouts-support.js';

/**
 * Issue 8's "done when": a realistic scenario across every module, built only through the public HTTP API and
 * signed Stripe webhooks → projection checksums and ~200 API answers → rebuild of every read model → the same
 * checksums and the same answers.
 */

type Status = { name: string; kind: string; status: string; position: number; lag: number; checksum: string | null; lastError: string | null };
type Payment = {
  id: string;
  stripeObjectId: string;
  refundedAmount: number;
  attribution: { status: string; method: string | null; leadId: string | null; partnerId: string | null };
  commissionExcluded: { where: string } | null;
};
type Commission = { id: string; partnerId: string; amount: number; currency: string; status: string };
type Invoice = {
  id: string;
  partnerId: string;
  number: string;
  status: string;
  currency: string;
  total: number;
  lines: { amount: number; currency: string; fxRate: string | null }[];
};
type Read = { label: string; key: Api; path: string; html?: boolean };

const DAY_S = 86_400;
const PROJECTIONS = [
  'api_keys',
  'commissions',
  'companies',
  'company_payment_methods',
  'fx_rates',
  'invoices',
  'leads',
  'ledger',
  'partners',
  'payments',
  'payout_attempts',
  'tracking_funnel',
  'webhook_endpoints',
];
const isoDay = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

describe('rebuild after a scenario across every module', () => {
  let stripe: StripeEmulator;
  let app: RunningApp;
  let op: Api;
  let t: Tenant;
  /** A: EUR, Stripe Connect, paid through Pay. B: USD, flat plan, bank details, paid outside. C: GBP, voided then invoiced again. D: nothing set up. */
  let A: Required<Partner>, B: Partner, C: Partner, D: Partner;
  const leads: Record<string, string> = {};
  const NOW = Math.floor(Date.now() / 1000);
  const OLD = NOW - 5 * DAY_S;
  /** Fixed so that both snapshots ask the same question. */
  const AS_OF = new Date((NOW + 60) * 1000).toISOString();
  const invoiceIds: Record<string, string> = {};

  const payments = async () => (await t.admin.get('/v1/payments?limit=200').expect(200)).body.data as Payment[];
  const paymentOf = async (stripeObjectId: string) => (await payments()).find((p) => p.stripeObjectId === stripeObjectId)!;
  const commissions = async () => (await t.admin.get('/v1/commissions?limit=200').expect(200)).body.data as Commission[];
  const invoice = async (id: string) =>
    (await t.admin.get(`/v1/invoices/${id}`).expect(200)).body as Invoice & {
      paymentIntentId: string | null;
      failureReason: string | null;
      paidReference: string | null;
    };
  const lead = async (partnerId: string, body: object) => (await t.admin.post('/v1/leads', { partnerId, ...body }).expect(201)).body.id as string;
  const settle = () => quiesce(app, 20_000);

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    app = await startTestApp({
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: 'sk_test_platform',
      PUBLIC_URL: 'https://partners.example',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    registerPlatformEndpoints(app, stripe);
    // Only the requests below append events: no hourly invoice run or payout recovery in the middle of a snapshot.
    stopScheduledJobs(app);
    op = api(app, OPERATOR_KEY);

    // Currency: two rate sets, the later one used by the second invoice run.
    await publishRates(app, { base: 'usd', asOf: isoDay(NOW - 10 * DAY_S), rates: { eur: 0.9, gbp: 0.8, jpy: 150 }, source: 'ecb' });
    await publishRates(app, { base: 'usd', asOf: isoDay(NOW - 2 * DAY_S), rates: { eur: 0.92, gbp: 0.79, jpy: 152 }, source: 'ecb' });
    // The company shows totals in EUR: every currency of the scenario needs a rate to EUR as well.
    await publishRates(app, { base: 'eur', asOf: isoDay(NOW - 10 * DAY_S), rates: { gbp: 0.86, jpy: 163.5 }, source: 'ecb' });

    // Company: schedule (hold 0, min 0), Stripe connected, display currency EUR, 20 % plan.
    t = await payoutTenant(app, stripe, 'Rebuild Co');
    await t.admin.patch('/v1/company', { currency: 'eur', commissionPlan: { type: 'percentage', percent: 20 } }).expect(200);
    // Outgoing webhooks: one endpoint kept, one deleted (closed loopback port: deliveries fail and stay local).
    await t.admin
      .post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:1/kept', events: ['invoice.paid', 'commission.created'], description: 'kept' })
      .expect(201);
    const dropped = (await t.admin.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:1/dropped', events: ['lead.created'] }).expect(201)).body
      .id as string;
    await t.admin.delete(`/v1/webhook-endpoints/${dropped}`).expect(204);

    // Partners.
    A = await onboardedPartner(t, 'eur');
    B = await newPartner(t, 'usd');
    C = await newPartner(t, 'gbp');
    D = await newPartner(t, 'usd');
    await t.admin.patch(`/v1/partners/${B.partnerId}`, { name: 'Bea Flat', commissionPlan: { type: 'flat', amount: 500, currency: 'usd' } }).expect(200);
    await t.admin.patch(`/v1/partners/${C.partnerId}`, { name: 'Cleo Sterling' }).expect(200);
    await B.portal
      .patch('/v1/portal/bank-details', {
        accountHolder: 'Bea Flat',
        bankName: 'Deutsche Bank',
        country: 'DE',
        iban: 'DE89 3704 0044 0532 0130 00',
        swift: 'DEUTDEFF',
      })
      .expect(200);
    const referralKeyC = (await t.admin.get(`/v1/partners/${C.partnerId}`).expect(200)).body.referralKey as string;

    // Leads.
    leads.alice = await lead(A.partnerId, { email: 'alice@customer.example', name: 'Alice', stripeCustomerId: 'cus_RBA1' });
    leads.mary = await lead(A.partnerId, { email: 'Mary@Buyer.example' });
    leads.bob = await lead(B.partnerId, { email: 'bob@customer.example', stripeCustomerId: 'cus_RBB1' });
    leads.john = await lead(B.partnerId, { email: 'john@techstartup.example', name: 'John' });
    leads.carol = await lead(C.partnerId, { email: 'carol@customer.example' });
    leads.dora = await lead(C.partnerId, { email: 'dora@customer.example', stripeCustomerId: 'cus_RBIDLE' });

    // Phase 1, five days ago: payments of every kind, through signed webhooks.
    const at = (minutes: number) => ({ created: OLD + minutes * 60 });
    const p1 = builders.invoicePaid({
      ...PRE_BASIL,
      customer: 'cus_RBA1',
      email: 'alice@customer.example',
      amount: 20_000,
      tax: 2_000,
      currency: 'usd',
      charge: 'ch_RBP1',
      paymentIntent: 'pi_RBP1',
      ...at(1),
    });
    const p2 = builders.invoicePaid({ ...PRE_BASIL, customer: 'cus_RBMARY', email: 'mary@BUYER.example', amount: 5_000, currency: 'eur', ...at(2) });
    const p3 = builders.chargeSucceeded({ ...PRE_BASIL, id: 'ch_RBP3', customer: 'cus_RBB1', amount: 3_000, currency: 'usd', ...at(3) });
    const p13 = builders.chargeSucceeded({ ...PRE_BASIL, customer: 'cus_RBB1', amount: 12_000, currency: 'jpy', ...at(4) });
    const p4 = builders.invoicePaid({ ...PRE_BASIL, customer: 'cus_RBTECH', email: 'billing@techstartup.example', amount: 9_900, currency: 'usd', ...at(5) });
    const checkout = builders.checkoutSessionCompleted({ clientReferenceId: referralKeyC, customer: 'cus_RBC1', email: 'newbuyer@shop.example', ...at(6) });
    const p5 = builders.invoicePaid({
      ...PRE_BASIL,
      customer: 'cus_RBC1',
      email: 'newbuyer@shop.example',
      amount: 8_000,
      currency: 'gbp',
      charge: 'ch_RBP5',
      ...at(7),
    });
    const p6 = builders.invoicePaid({
      ...PRE_BASIL,
      customer: 'cus_RBBULK',
      email: 'accounts@bulk.example',
      amount: 7_000,
      currency: 'usd',
      charge: 'ch_RBP6',
      ...at(8),
    });
    const p7 = builders.chargeSucceeded({
      ...PRE_BASIL,
      customer: 'cus_RBSTRANGER',
      email: 'stranger@unknown.example',
      amount: 4_000,
      currency: 'usd',
      ...at(9),
    });
    const p8 = builders.invoicePaid({ ...PRE_BASIL, customer: 'cus_RBCAND', email: 'billing@customer.example', amount: 1_500, currency: 'usd', ...at(10) });
    for (const e of [p1, p2, p3, p13, p4, checkout, p5, p6, p7, p8]) expect((await t.send(e).expect(200)).body).toEqual({ received: true });
    expect((await t.send(p1).expect(200)).body).toEqual({ received: true, duplicate: true });
    await settle();
    expect((await paymentOf(p4.data.object.id)).attribution.status).toBe('unattributed');
    expect((await paymentOf(p6.data.object.id)).attribution.status).toBe('unattributed');
    expect((await paymentOf(p5.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'client_reference_id', partnerId: C.partnerId });
    expect((await paymentOf(p2.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'email', leadId: leads.mary });
    leads.checkout = (await t.admin.get('/v1/leads?email=newbuyer@shop.example').expect(200)).body.data[0].id;

    // Tracking (SPEC §10): two visitors' referral link clicks, one counted once, and a signup from a click.
    await t.admin.patch('/v1/company', { tracking: { landingUrl: 'https://shop.example/', allowedOrigins: ['https://shop.example'] } }).expect(200);
    const referralKey = (await t.admin.get(`/v1/partners/${A.partnerId}`).expect(200)).body.referralKey;
    const clickIds: string[] = [];
    for (const ua of ['one', 'two', 'two']) {
      const res = await request(app.app.getHttpServer())
        .get(`/r/${referralKey}`)
        .set('User-Agent', `Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 visitor-${ua}`)
        .expect(302);
      clickIds.push(new URL(res.headers.location).searchParams.get('pf_ref')!);
    }
    expect(new Set(clickIds).size).toBe(2);
    const pk = (await t.admin.get('/v1/company').expect(200)).body.publishableKey;
    await request(app.app.getHttpServer())
      .post('/v1/track/leads')
      .send({ publishableKey: pk, clickId: clickIds[0], email: 'tracked@visitor.example' })
      .expect(200);

    // Manual link with past payments, and a bulk link with one bad row.
    expect(
      (await t.admin.put(`/v1/leads/${leads.john}/stripe-customer`, { customerId: 'cus_RBTECH', attributePastPayments: true }).expect(200)).body
        .attributedPayments,
    ).toBe(1);
    const bulk = await t.admin
      .post('/v1/leads/stripe-customers/bulk', {
        items: [
          { leadId: leads.carol, customerId: 'cus_RBBULK' },
          { email: 'nobody@nowhere.example', customerId: 'cus_RBNONE' },
        ],
        attributePastPayments: true,
      })
      .expect(200);
    expect(bulk.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]);
    await settle();

    // Reconciliation: an event Stripe never delivered is listed with the restricted key and ingested. (Before any Pay: the
    // emulator lists the platform account's events under every key, and the Pay charge is not a payment of the company.)
    await t.admin.put('/v1/company/stripe', { webhookSecret: `whsec_${t.companyId}`, apiKey: 'rk_test_rebuild_scenario' }).expect(200);
    const missed = stripe.recordEvent(
      'invoice.paid',
      builders.invoicePaid({ ...PRE_BASIL, customer: 'cus_RBA1', email: 'alice@customer.example', amount: 4_000, currency: 'usd', ...at(11) }).data.object,
      at(11),
    );
    expect((await t.admin.post('/v1/company/stripe/reconcile', {}).expect(200)).body.ingested).toBeGreaterThanOrEqual(1);
    await settle();
    expect((await paymentOf(missed.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'customer_id', leadId: leads.alice });

    // Refunds (partial, full), a lost dispute, a won dispute (no effect).
    await t
      .send(
        builders.chargeRefunded({ ...PRE_BASIL, id: 'ch_RBP1', amount: 20_000, amountRefunded: 5_000, paymentIntent: 'pi_RBP1', currency: 'usd', ...at(60) }),
      )
      .expect(200);
    await t
      .send(builders.chargeRefunded({ ...PRE_BASIL, id: 'ch_RBP3', amount: 3_000, amountRefunded: 3_000, paymentIntent: null, currency: 'usd', ...at(61) }))
      .expect(200);
    await t.send(builders.disputeClosed({ ...PRE_BASIL, charge: 'ch_RBP6', amount: 7_000, currency: 'usd', status: 'lost', ...at(62) })).expect(200);
    await t.send(builders.disputeClosed({ ...PRE_BASIL, charge: 'ch_RBP5', amount: 8_000, currency: 'gbp', status: 'won', ...at(63) })).expect(200);
    await settle();
    expect((await paymentOf(p1.data.object.id)).refundedAmount).toBe(5_000);
    expect((await paymentOf(p6.data.object.id)).refundedAmount).toBe(7_000);
    expect((await paymentOf(p5.data.object.id)).refundedAmount).toBe(0);

    // First invoice run, for the period ending three days ago: A (EUR, USD line converted), B (USD, JPY line), C (GBP).
    const run1 = await t.admin.post('/v1/invoices/generate', { periodEnd: isoDay(NOW - 3 * DAY_S) }).expect(200);
    const created1 = run1.body.created as { invoiceId: string; partnerId: string }[];
    expect(created1.map((c) => c.partnerId).sort()).toEqual([A.partnerId, B.partnerId, C.partnerId].sort());
    const of1 = (p: Partner) => created1.find((c) => c.partnerId === p.partnerId)!.invoiceId;
    [invoiceIds.A1, invoiceIds.B1, invoiceIds.C1] = [of1(A), of1(B), of1(C)];

    // C's invoice is voided; B's approved and paid outside; A's approved, declined once, then paid through Stripe Connect.
    expect((await t.admin.post(`/v1/invoices/${invoiceIds.C1}/void`).expect(200)).body.status).toBe('void');
    await t.admin.post(`/v1/invoices/${invoiceIds.B1}/approve`).expect(200);
    expect((await t.admin.post(`/v1/invoices/${invoiceIds.B1}/mark-paid`, { reference: 'SEPA-RB-0001' }).expect(200)).body).toMatchObject({
      status: 'paid',
      paidReference: 'SEPA-RB-0001',
    });
    await t.admin.post(`/v1/invoices/${invoiceIds.A1}/approve`).expect(200);
    await addCard(t, 'pm_card_chargeCustomerFail');
    expect((await t.admin.post(`/v1/invoices/${invoiceIds.A1}/pay`).expect(200)).body).toMatchObject({
      status: 'payment_failed',
      failureReason: expect.stringContaining('declined'),
    });
    await addCard(t, 'pm_card_visa');
    expect((await t.admin.post(`/v1/invoices/${invoiceIds.A1}/pay`).expect(200)).body.status).toBe('paid');
    const intents = paymentIntentsOf(stripe, invoiceIds.A1);
    expect(intents.map((pi) => pi.status)).toEqual(['requires_payment_method', 'succeeded']);
    expect(intents[1]).toMatchObject({ currency: 'eur', transfer_data: { destination: A.accountId } });
    await deliver(app, makeEvent('payment_intent.succeeded', intents[1]!)).expect(200);
    await settle();

    // Phase 2, today: a full refund of A's already paid commission (carried to the next invoice), a payment matched by the customer id saved from the email match.
    await t
      .send(
        builders.chargeRefunded({
          ...PRE_BASIL,
          id: 'ch_RBP1',
          amount: 20_000,
          amountRefunded: 20_000,
          paymentIntent: 'pi_RBP1',
          currency: 'usd',
          created: NOW - 900,
        }),
      )
      .expect(200);
    const p9 = builders.invoicePaid({
      ...PRE_BASIL,
      customer: 'cus_RBMARY',
      email: 'accounts@elsewhere.example',
      amount: 30_000,
      currency: 'eur',
      created: NOW - 800,
    });
    await t.send(p9).expect(200);
    await settle();
    expect((await paymentOf(p9.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'customer_id', leadId: leads.mary });

    // Second run, for the period ending today: A (negative USD line + EUR line), C again after the void.
    const run2 = await t.admin.post('/v1/invoices/generate', { periodEnd: isoDay(NOW) }).expect(200);
    const created2 = run2.body.created as { invoiceId: string; partnerId: string }[];
    expect(created2.map((c) => c.partnerId).sort()).toEqual([A.partnerId, C.partnerId].sort());
    invoiceIds.A2 = created2.find((c) => c.partnerId === A.partnerId)!.invoiceId;
    invoiceIds.C2 = created2.find((c) => c.partnerId === C.partnerId)!.invoiceId;
    await t.admin.post(`/v1/invoices/${invoiceIds.A2}/approve`).expect(200);
    expect((await invoice(invoiceIds.A2)).lines.some((l) => l.amount < 0 && l.currency === 'usd' && l.fxRate !== null)).toBe(true);

    // A payment after the run: its commission stays payable until the next one.
    await t
      .send(builders.invoicePaid({ ...PRE_BASIL, customer: 'cus_RBIDLE', email: 'dora@customer.example', amount: 2_500, currency: 'gbp', created: NOW - 750 }))
      .expect(200);
    await settle();

    // A 30-day hold from now on: the next commissions stay pending.
    await t.admin.patch('/v1/company', { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 30, minimumPayout: 0 } }).expect(200);
    await t
      .send(builders.invoicePaid({ ...PRE_BASIL, customer: 'cus_RBB1', email: 'bob@customer.example', amount: 6_000, currency: 'usd', created: NOW - 700 }))
      .expect(200);

    // A guest checkout (no customer) from the second visitor's click: its payment intent's charge is the click's lead's.
    await t
      .send(
        builders.checkoutSessionCompleted({
          mode: 'payment',
          customer: null,
          paymentIntent: 'pi_RBGUEST',
          clientReferenceId: clickIds[1],
          email: 'guest@visitor.example',
          created: NOW - 660,
        }),
      )
      .expect(200);
    const guest = builders.chargeSucceeded({
      customer: null,
      paymentIntent: 'pi_RBGUEST',
      email: 'card@visitor.example',
      amount: 1_200,
      currency: 'usd',
      created: NOW - 650,
    });
    await t.send(guest).expect(200);
    await settle();
    expect((await paymentOf(guest.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'client_reference_id', partnerId: A.partnerId });

    // A promotion code of B's on an invoice of a new customer: a new lead of B's, created after its payment in the log.
    await t.admin.patch(`/v1/partners/${B.partnerId}`, { promotionCodes: ['promo_RBB'] }).expect(200);
    const promoted = builders.invoicePaid({
      ...PRE_BASIL,
      customer: 'cus_RBPROMO',
      email: 'promo@buyer.example',
      amount: 2_000,
      currency: 'usd',
      created: NOW - 600,
      discounts: [{ discount: discountObject({ promotionCode: 'promo_RBB', legacy: true }), amount: 500 }],
    });
    await t.send(promoted).expect(200);
    await settle();
    expect((await paymentOf(promoted.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'promotion_code', partnerId: B.partnerId });

    // Commission review (SPEC §11): a payment excluded by its subscription's metadata; then manual review, one commission
    // approved, one declined, one left waiting.
    const excluded = builders.invoicePaid({
      ...PRE_BASIL,
      customer: 'cus_RBB1',
      email: 'bob@customer.example',
      amount: 3_000,
      currency: 'usd',
      created: NOW - 500,
      subscriptionMetadata: { partnerflow: 'false' },
    });
    await t.send(excluded).expect(200);
    await t.admin.patch('/v1/company', { commissionReview: 'manual' }).expect(200);
    const reviewed = [NOW - 400, NOW - 300, NOW - 200].map((created, i) =>
      builders.invoicePaid({ ...PRE_BASIL, customer: 'cus_RBB1', email: 'bob@customer.example', amount: 1_000 * (i + 1), currency: 'usd', created }),
    );
    for (const e of reviewed) await t.send(e).expect(200);
    await settle();
    expect((await paymentOf(excluded.data.object.id)).commissionExcluded).toMatchObject({ where: 'subscription' });
    const [approve, decline] = await Promise.all(reviewed.slice(0, 2).map(async (e) => `cm_${(await paymentOf(e.data.object.id)).id}`));
    await t.admin.post(`/v1/commissions/${approve}/approve`, {}).expect(200);
    await t.admin.post('/v1/commissions/review/bulk', { items: [{ commissionId: decline, action: 'decline', reason: 'test order' }] }).expect(200);
    await settle();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await stripe?.close();
  });

  /** Every GET that shows state, for the admin, the partners and per resource; ids come from the live lists. */
  async function reads(): Promise<Read[]> {
    const a = t.admin;
    const partners = [A, B, C, D];
    const allPayments = await payments();
    const allCommissions = await commissions();
    const allInvoices = (await a.get('/v1/invoices?limit=200').expect(200)).body.data as Invoice[];
    const allLeads = (await a.get('/v1/leads?limit=200').expect(200)).body.data as { id: string }[];
    const r = (path: string, key: Api = a, html = false): Read => ({ label: path, key, path, html });
    return [
      r('/v1/company'),
      r('/v1/company/payment-method'),
      r('/v1/partners?limit=200'),
      r('/v1/partners?limit=3'),
      ...partners.flatMap((p) => [
        r(`/v1/partners/${p.partnerId}`),
        r(`/v1/partners/${p.partnerId}/payout-readiness`),
        r(`/v1/partners/${p.partnerId}/balance?asOf=${AS_OF}`),
        r(`/v1/partners/${p.partnerId}/balance?asOf=${isoDay(NOW - 4 * DAY_S)}`),
        r(`/v1/partners/${p.partnerId}/balance?asOf=${isoDay(NOW - 6 * DAY_S)}`),
        r(`/v1/leads?partnerId=${p.partnerId}`),
        r(`/v1/payments?partnerId=${p.partnerId}`),
        r(`/v1/commissions?partnerId=${p.partnerId}`),
        r(`/v1/invoices?partnerId=${p.partnerId}`),
        r(`/v1/audit/streams/partner/${p.partnerId}`),
        r('/v1/portal/me', p.portal),
        r('/v1/portal/leads', p.portal),
        r('/v1/portal/commissions', p.portal),
        r('/v1/portal/commissions?status=paid', p.portal),
        r('/v1/portal/invoices', p.portal),
        r('/v1/portal/invoices?status=paid', p.portal),
        r(`/v1/partners/${p.partnerId}/funnel?from=${isoDay(NOW - 40 * DAY_S)}&to=${isoDay(NOW + DAY_S)}&interval=week`),
        r(`/v1/portal/funnel?from=${isoDay(NOW - 10 * DAY_S)}&to=${isoDay(NOW + DAY_S)}`, p.portal),
      ]),
      r(`/v1/reports/partners?from=${isoDay(NOW - 40 * DAY_S)}&to=${isoDay(NOW + DAY_S)}`),
      r('/v1/leads?limit=200'),
      r('/v1/leads?limit=3'),
      r('/v1/leads?email=mary@buyer.example'),
      ...allLeads.flatMap((l) => [r(`/v1/leads/${l.id}`), r(`/v1/audit/streams/lead/${l.id}`), r(`/v1/payments?leadId=${l.id}`)]),
      r('/v1/payments?limit=200'),
      r('/v1/payments?limit=4'),
      r('/v1/payments?attribution=attributed'),
      r('/v1/payments?attribution=unattributed'),
      r('/v1/payments?customerId=cus_RBA1'),
      ...allPayments.flatMap((p) => [r(`/v1/payments/${p.id}`), r(`/v1/payments/${p.id}/diagnosis`), r(`/v1/audit/streams/payment/${p.id}`)]),
      r('/v1/commissions?limit=200'),
      r('/v1/commissions?limit=3'),
      ...['pending_review', 'pending', 'payable', 'invoiced', 'paid', 'reversed', 'declined'].map((s) => r(`/v1/commissions?status=${s}`)),
      ...allCommissions.flatMap((c) => [r(`/v1/commissions/${c.id}`), r(`/v1/audit/streams/commission/${c.id}`)]),
      r('/v1/invoices?limit=200'),
      r('/v1/invoices?limit=2'),
      ...['pending_approval', 'approved', 'processing', 'paid', 'payment_failed', 'void'].map((s) => r(`/v1/invoices?status=${s}`)),
      ...allInvoices.flatMap((i) => [r(`/v1/invoices/${i.id}`), r(`/v1/invoices/${i.id}/document`, a, true), r(`/v1/audit/streams/invoice/${i.id}`)]),
      r(`/v1/fx-rates?from=usd&to=eur&at=${isoDay(NOW - 3 * DAY_S)}`),
      r(`/v1/fx-rates?from=jpy&to=usd&at=${isoDay(NOW)}`),
      r(`/v1/fx-rates?from=gbp&to=usd&at=${isoDay(NOW)}`, op),
      r(`/v1/audit/streams/company/${t.companyId}`),
    ];
  }

  async function projectionStatuses(checksum: boolean): Promise<Status[]> {
    return (await op.get(`/v1/admin/projections?checksum=${checksum}`).expect(200)).body.data;
  }

  /** Live or rebuilt: caught up (running, lag 0, no error), then checksums, row counts and every answer. */
  async function snapshot(list: Read[]) {
    await settle();
    const statuses = await eventually(
      async () => {
        const all = await projectionStatuses(true);
        expect(all.filter((s) => s.status !== 'running' || s.lag !== 0 || s.lastError !== null)).toEqual([]);
        return all;
      },
      { timeoutMs: 60_000 },
    );
    const projections = statuses.filter((s) => s.kind === 'projection');
    const checksums = Object.fromEntries(projections.map((s) => [s.name, s.checksum]));
    const sql = readSql(app.orm);
    const rows: Record<string, number> = {};
    for (const p of app.runner.projections())
      for (const table of p.tables) rows[`${p.name}.${table}`] = (await sql.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;
    const answers: Record<string, unknown> = {};
    for (const [n, read] of list.entries()) {
      const req = read.key.get(read.path);
      const res = await (read.html ? req.set('Accept', 'text/html') : req);
      if (res.status !== 200) throw new Error(`GET ${read.path} answered ${res.status}: ${res.text}`);
      answers[`#${n} ${read.label}`] = read.html ? res.text : res.body;
    }
    return { statuses, checksums, rows, answers };
  }

  it('gives identical checksums and identical API answers', async () => {
    const list = await reads();
    const live = await snapshot(list);

    // The scenario is not trivial: every projection and every table has rows, every checksum is a hash.
    expect(Object.keys(live.checksums).sort()).toEqual(PROJECTIONS);
    for (const name of PROJECTIONS) expect(live.checksums[name]).toMatch(/^[0-9a-f]{32}$/);
    for (const [table, n] of Object.entries(live.rows)) expect([table, n > 0]).toEqual([table, true]);
    expect(list.length).toBeGreaterThan(150);
    const ps = await payments();
    expect(ps.length).toBe(19);
    expect(ps.filter((p) => p.commissionExcluded)).toHaveLength(1);
    expect(ps.filter((p) => p.attribution.status === 'unattributed')).toHaveLength(2);
    expect(new Set(ps.map((p) => p.attribution.method))).toEqual(new Set([null, 'customer_id', 'email', 'client_reference_id', 'promotion_code', 'manual']));
    expect(ps.filter((p) => p.refundedAmount > 0)).toHaveLength(3);
    expect(new Set((await commissions()).map((c) => c.status))).toEqual(
      new Set(['pending_review', 'pending', 'payable', 'invoiced', 'paid', 'reversed', 'declined']),
    );
    const invoices = await Promise.all(Object.entries(invoiceIds).map(async ([k, id]) => [k, (await invoice(id)).status]));
    expect(Object.fromEntries(invoices)).toEqual({ A1: 'paid', B1: 'paid', C1: 'void', A2: 'approved', C2: 'pending_approval' });
    expect((await invoice(invoiceIds.A1)).paymentIntentId).toMatch(/^pi_/);
    expect((await invoice(invoiceIds.B1)).paidReference).toBe('SEPA-RB-0001');
    expect((await t.admin.get(`/v1/partners/${A.partnerId}/balance?asOf=${AS_OF}`).expect(200)).body.balances.length).toBeGreaterThan(0);

    // Every projection's `types` is complete: `apply` ignores (no statement at all) every other event type of this log.
    const log: RecordedEvent[] = [];
    for (let page = await app.store.readAll(START, 1000); page.length; page = await app.store.readAll(page[page.length - 1]!.checkpoint, 1000))
      log.push(...page);
    expect(new Set(log.map((e) => e.type)).size).toBeGreaterThanOrEqual(40);
    const statements: string[] = [];
    const recording: Sql = { query: async (text) => (statements.push(text), []) };
    for (const p of app.runner.projections()) {
      for (const e of log.filter((x) => !p.types.includes(x.type))) await p.apply(e, recording);
      expect([p.name, statements]).toEqual([p.name, []]);
      for (const e of log.filter((x) => p.types.includes(x.type))) await p.apply(e, recording);
      expect([p.name, statements.length > 0]).toEqual([p.name, true]);
      statements.length = 0;
    }

    // Damage two read models behind the app's back: the API shows it, and only a real replay of the log repairs it.
    const sql = readSql(app.orm);
    const refunded = ps.find((p) => p.refundedAmount > 0)!;
    await sql.query('update payments set refunded_amount = 0 where id = $1', [refunded.id]);
    await sql.query('delete from leads where id = $1', [leads.dora]);
    expect((await t.admin.get(`/v1/payments/${refunded.id}`).expect(200)).body.refundedAmount).toBe(0);
    await t.admin.get(`/v1/leads/${leads.dora}`).expect(404);
    // A fresh checksum sees it too (the plain one is reused until the projection moves); the untouched ones are unchanged.
    const fresh = Object.fromEntries((await op.get('/v1/admin/projections?checksum=fresh').expect(200)).body.data.map((x: Status) => [x.name, x.checksum]));
    expect(PROJECTIONS.filter((name) => fresh[name] !== live.checksums[name])).toEqual(['leads', 'payments']);

    // Drop every read model and replay the log.
    const accepted = await op.post('/v1/admin/projections/rebuild', {}).expect(202);
    expect(accepted.body.data.map((s: Status) => s.name).sort()).toEqual(PROJECTIONS);
    await eventually(async () => expect((await projectionStatuses(false)).filter((s) => s.status === 'rebuilding')).toEqual([]), { timeoutMs: 60_000 });
    const rebuilt = await snapshot(list);

    expect(rebuilt.rows).toEqual(live.rows);
    expect(rebuilt.checksums).toEqual(live.checksums);
    expect(Object.keys(rebuilt.answers)).toEqual(Object.keys(live.answers));
    for (const key of Object.keys(live.answers)) expect([key, rebuilt.answers[key]]).toEqual([key, live.answers[key]]);
    // The replay really went through the log again: every projection ends at the head, where it was.
    const positions = (s: Status[]) => Object.fromEntries(s.filter((x) => x.kind === 'projection').map((x) => [x.name, x.position]));
    expect(positions(rebuilt.statuses)).toEqual(positions(live.statuses));
  }, 120_000);
});
