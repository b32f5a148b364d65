import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders, PRE_BASIL_API_VERSION } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { stripeEventStream } from '../../src/attribution/domain/stripe-event.js';

const SECRET = 'whsec_attribution_e2e';
/** A company account on an API version before 2025-03-31: invoices name their charge, charges their invoice. */
const PRE_BASIL = { apiVersion: PRE_BASIL_API_VERSION };
type Payment = {
  id: string;
  stripeObjectId: string;
  amount: number;
  tax: number;
  net: number;
  refundedAmount: number;
  customerId: string | null;
  attribution: { status: string; method: string | null; leadId: string | null; partnerId: string | null; trace: string[] };
};

describe('Stripe webhooks → attributed payments', () => {
  let app: RunningApp;
  let admin: Api;
  let other: Api;
  let companyId: string;
  let send: ReturnType<typeof stripeWebhooks>;
  let partner: { id: string; referralKey: string };

  const payments = async (query = '') => (await admin.get(`/v1/payments?limit=200${query}`).expect(200)).body.data as Payment[];
  const paymentOf = (stripeObjectId: string) =>
    eventually(async () => {
      const found = (await payments()).find((p) => p.stripeObjectId === stripeObjectId);
      expect(found).toBeDefined();
      return found!;
    });
  const lead = async (email: string, extra: object = {}) =>
    (await admin.post('/v1/leads', { partnerId: partner.id, email, ...extra }).expect(201)).body as { id: string };
  /** Events are processed in store order: once a later event's payment shows, every earlier one was handled. */
  const afterProcessing = async () => {
    const sentinel = builders.invoicePaid({ amount: 100 });
    await send(sentinel).expect(200);
    await paymentOf(sentinel.data.object.id);
  };

  beforeAll(async () => {
    app = await startTestApp();
    ({
      admin,
      company: { id: companyId },
    } = await newCompany(app, { name: 'Acme' }));
    ({ admin: other } = await newCompany(app, { name: 'Other' }));
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET }).expect(200);
    send = stripeWebhooks(app, companyId, SECRET);
    partner = (await admin.post('/v1/partners', { name: 'Jane', email: 'jane@partner.example', currency: 'usd' }).expect(201)).body;
  });
  afterAll(() => app.close());

  describe('the endpoint', () => {
    it('refuses forged, stale and unsigned deliveries with 400 problem+json, storing nothing', async () => {
      const event = builders.invoicePaid();
      const forged = await send(event, { secret: 'whsec_someone_else' }).expect(400);
      expect(forged.headers['content-type']).toContain('application/problem+json');
      expect(forged.body.code).toBe('invalid_signature');
      const stale = await send(event, { timestamp: Math.floor(Date.now() / 1000) - 301 }).expect(400);
      expect(stale.body.detail).toContain('tolerance');
      await send(event, { signature: null }).expect(400);
      await send(event, { signature: 't=1,v1=deadbeef' }).expect(400);
      const tampered = { ...event, data: { object: { ...event.data.object, amount_paid: 1 } } };
      const header = (await import('../stripe-emulator/index.js')).signWebhookPayload(JSON.stringify(event), SECRET);
      await send(tampered, { signature: header }).expect(400);
      expect(await app.store.readStream(stripeEventStream(companyId, event.id))).toHaveLength(0);
      await afterProcessing();
      expect((await payments()).map((p) => p.stripeObjectId)).not.toContain(event.data.object.id);
    });

    it('404 for an unknown company, 409 for a company without a webhook secret', async () => {
      await send(builders.invoicePaid(), { companyId: 'co_does_not_exist' }).expect(404);
      const { company } = await newCompany(app, { name: 'Unconnected' });
      const res = await send(builders.invoicePaid(), { companyId: company.id }).expect(409);
      expect(res.body.code).toBe('stripe_not_connected');
    });

    it('400 for a signed body that is not a Stripe event', async () => {
      await send({ hello: 'world' }).expect(400);
      await send({ id: 'not-an-event-id', object: 'event', type: 'invoice.paid', data: { object: {} } }).expect(400);
    });

    it('the same event delivered three times makes one payment', async () => {
      const event = builders.invoicePaid({ amount: 4200 });
      expect((await send(event).expect(200)).body).toEqual({ received: true });
      expect((await send(event).expect(200)).body).toEqual({ received: true, duplicate: true });
      expect((await send(event).expect(200)).body).toEqual({ received: true, duplicate: true });
      await paymentOf(event.data.object.id);
      await afterProcessing();
      expect((await payments()).filter((p) => p.stripeObjectId === event.data.object.id)).toHaveLength(1);
      expect(await app.store.readStream(stripeEventStream(companyId, event.id))).toHaveLength(1);
    });

    it('another company’s secret cannot deliver to this company', async () => {
      const { admin: b, company } = await newCompany(app, { name: 'B' });
      await b.put('/v1/company/stripe', { webhookSecret: 'whsec_company_b' }).expect(200);
      await send(builders.invoicePaid(), { secret: 'whsec_company_b' }).expect(400);
      await send(builders.invoicePaid(), { companyId: company.id }).expect(400);
    });
  });

  describe('attribution', () => {
    it('by customer id: the lead holding the customer, whatever the email', async () => {
      const l = await lead('holder@acme.test', { stripeCustomerId: 'cus_HOLDER1' });
      const event = builders.invoicePaid({ customer: 'cus_HOLDER1', email: 'someone-else@acme.test', amount: 12000, tax: 2000 });
      await send(event).expect(200);
      const p = await paymentOf(event.data.object.id);
      expect(p).toMatchObject({ amount: 12000, tax: 2000, net: 10000, customerId: 'cus_HOLDER1', refundedAmount: 0 });
      expect(p.attribution).toEqual({
        status: 'attributed',
        method: 'customer_id',
        leadId: l.id,
        partnerId: partner.id,
        trace: ['lead ' + l.id + ' has customer cus_HOLDER1'],
      });
      const one = await admin.get(`/v1/payments/${p.id}`).expect(200);
      expect(one.body).toMatchObject({ id: p.id, stripeObjectId: event.data.object.id, currency: 'usd', email: 'someone-else@acme.test' });
    });

    it('by email, case-insensitively; the customer id is saved on the lead so the next payment matches by id', async () => {
      const l = await lead('Mary@Example-Buyer.com');
      const first = builders.invoicePaid({ customer: 'cus_MARY1', email: 'mary@EXAMPLE-buyer.com' });
      await send(first).expect(200);
      expect((await paymentOf(first.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'email', leadId: l.id });
      await eventually(async () => expect((await admin.get(`/v1/leads/${l.id}`).expect(200)).body.stripeCustomerId).toBe('cus_MARY1'));
      const second = builders.invoicePaid({ customer: 'cus_MARY1', email: 'accounts@elsewhere.test' });
      await send(second).expect(200);
      expect((await paymentOf(second.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'customer_id', leadId: l.id });
    });

    it('the seed case: john@ signed up, billing@ paid → unattributed with a trace, diagnosed, then linked with its past payments', async () => {
      const john = await lead('john@techstartup.com', { name: 'John' });
      const event = builders.invoicePaid({ customer: 'cus_TECH1', email: 'billing@techstartup.com', amount: 9900 });
      await send(event).expect(200);
      const p = await paymentOf(event.data.object.id);
      expect(p.attribution).toEqual({
        status: 'unattributed',
        method: null,
        leadId: null,
        partnerId: null,
        trace: ['no lead with customer cus_TECH1', 'no lead with email billing@techstartup.com'],
      });
      expect((await payments('&attribution=unattributed')).map((x) => x.id)).toContain(p.id);
      expect((await payments('&attribution=attributed')).map((x) => x.id)).not.toContain(p.id);

      const diagnosis = (await admin.get(`/v1/payments/${p.id}/diagnosis`).expect(200)).body;
      expect(diagnosis).toMatchObject({ paymentId: p.id, status: 'unattributed' });
      expect(diagnosis.reasons).toEqual(
        expect.arrayContaining(['Stripe customer cus_TECH1 is not linked to any lead', 'no lead has the email billing@techstartup.com']),
      );
      expect(diagnosis.candidates).toEqual([
        { leadId: john.id, email: 'john@techstartup.com', partnerId: partner.id, why: 'same email domain techstartup.com' },
      ]);

      const linked = await admin.put(`/v1/leads/${john.id}/stripe-customer`, { customerId: 'cus_TECH1', attributePastPayments: true }).expect(200);
      expect(linked.body).toMatchObject({ id: john.id, stripeCustomerId: 'cus_TECH1', attributedPayments: 1 });
      const after = (await admin.get(`/v1/payments/${p.id}`).expect(200)).body as Payment;
      expect(after.attribution).toMatchObject({ status: 'attributed', method: 'manual', leadId: john.id, partnerId: partner.id });
      expect(after.attribution.trace).toEqual([
        'no lead with customer cus_TECH1',
        'no lead with email billing@techstartup.com',
        `customer cus_TECH1 linked to lead ${john.id} (manual)`,
      ]);
      expect((await admin.get(`/v1/payments/${p.id}/diagnosis`).expect(200)).body).toMatchObject({ status: 'attributed', candidates: [] });
    });

    it('charge.succeeded counts only without invoice; zero-amount invoices are not payments', async () => {
      const standalone = builders.chargeSucceeded({ ...PRE_BASIL, customer: 'cus_CHG1', email: 'one-off@buyer.test', amount: 5000 });
      const ofInvoice = builders.chargeSucceeded({ ...PRE_BASIL, invoice: 'in_1SomeInvoice', amount: 7000 });
      const trial = builders.invoicePaid({ ...PRE_BASIL, amount: 0 });
      for (const e of [standalone, ofInvoice, trial]) await send(e).expect(200);
      const p = await paymentOf(standalone.data.object.id);
      expect(p).toMatchObject({ amount: 5000, tax: 0, net: 5000, customerId: 'cus_CHG1', attribution: { status: 'unattributed' } });
      await afterProcessing();
      const ids = (await payments()).map((x) => x.stripeObjectId);
      expect(ids).not.toContain(ofInvoice.data.object.id);
      expect(ids).not.toContain(trial.data.object.id);
    });
  });

  describe('checkout client_reference_id', () => {
    it('a lead id links the session’s customer; later payments attribute by it', async () => {
      const l = await lead('checkout-lead@buyer.test');
      await send(builders.checkoutSessionCompleted({ clientReferenceId: l.id, customer: 'cus_CHECK1', email: 'other@buyer.test' })).expect(200);
      await eventually(async () => expect((await admin.get(`/v1/leads/${l.id}`).expect(200)).body.stripeCustomerId).toBe('cus_CHECK1'));
      const invoice = builders.invoicePaid({ customer: 'cus_CHECK1', email: 'unrelated@buyer.test' });
      await send(invoice).expect(200);
      expect((await paymentOf(invoice.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'client_reference_id', leadId: l.id });
    });

    it('a referral key arriving after the payment creates the lead and attributes the earlier payment', async () => {
      const invoice = builders.invoicePaid({ customer: 'cus_REF1', email: 'new-buyer@shop.test' });
      await send(invoice).expect(200);
      expect((await paymentOf(invoice.data.object.id)).attribution.status).toBe('unattributed');
      const session = builders.checkoutSessionCompleted({ clientReferenceId: partner.referralKey, customer: 'cus_REF1', email: 'new-buyer@shop.test' });
      await send(session).expect(200);
      const p = await eventually(async () => {
        const found = await paymentOf(invoice.data.object.id);
        expect(found.attribution.status).toBe('attributed');
        return found;
      });
      expect(p.attribution).toMatchObject({ method: 'client_reference_id', partnerId: partner.id });
      const leads = (await admin.get('/v1/leads?email=new-buyer@shop.test').expect(200)).body.data;
      expect(leads).toEqual([expect.objectContaining({ id: p.attribution.leadId, partnerId: partner.id, stripeCustomerId: 'cus_REF1' })]);
      // The same session redelivered under another event id creates no second lead.
      await send({ ...session, id: 'evt_1RedeliveredSession' }).expect(200);
      await afterProcessing();
      expect((await admin.get('/v1/leads?email=new-buyer@shop.test').expect(200)).body.data).toHaveLength(1);
    });

    it('a referral key links the partner’s existing lead with the session’s email instead of creating one', async () => {
      const existing = await lead('Returning@Shop.test');
      await send(builders.checkoutSessionCompleted({ clientReferenceId: partner.referralKey, customer: 'cus_RETURN1', email: 'returning@shop.test' })).expect(
        200,
      );
      await eventually(async () => expect((await admin.get(`/v1/leads/${existing.id}`).expect(200)).body.stripeCustomerId).toBe('cus_RETURN1'));
      expect((await admin.get('/v1/leads?email=returning@shop.test').expect(200)).body.data).toHaveLength(1);
    });

    it('a session without a customer (payment mode): its payment intent’s charge is attributed, and customer_details.email is on the lead', async () => {
      const session = builders.checkoutSessionCompleted({
        mode: 'payment',
        customer: null,
        paymentIntent: 'pi_1GuestFirst',
        clientReferenceId: partner.referralKey,
        email: 'guest-first@shop.test',
      });
      expect(session.data.object).toMatchObject({ customer: null, customer_creation: 'if_required' });
      await send(session).expect(200);
      const created = await eventually(async () => {
        const [l] = (await admin.get('/v1/leads?email=guest-first@shop.test').expect(200)).body.data;
        expect(l).toMatchObject({ partnerId: partner.id, email: 'guest-first@shop.test', stripeCustomerId: null });
        return l as { id: string };
      });
      // The guest's card names another email: only the payment intent ties it to the lead.
      const charge = builders.chargeSucceeded({ customer: null, paymentIntent: 'pi_1GuestFirst', email: 'card-holder@elsewhere.test', amount: 4200 });
      await send(charge).expect(200);
      const p = await paymentOf(charge.data.object.id);
      expect(p).toMatchObject({
        customerId: null,
        amount: 4200,
        attribution: { status: 'attributed', method: 'client_reference_id', leadId: created.id, partnerId: partner.id },
      });
      expect(p.attribution.trace).toEqual([
        'payment has no customer id',
        `checkout session ${session.data.object.id} named lead ${created.id} (client_reference_id) for payment intent pi_1GuestFirst`,
      ]);
    });

    it('a customer-less session arriving after its payment attributes it late, to an existing lead named by id', async () => {
      const l = await lead('guest-late@shop.test');
      const charge = builders.chargeSucceeded({ customer: null, paymentIntent: 'pi_1GuestLate', email: null, amount: 3100 });
      await send(charge).expect(200);
      expect((await paymentOf(charge.data.object.id)).attribution.status).toBe('unattributed');
      await send(
        builders.checkoutSessionCompleted({
          mode: 'payment',
          customer: null,
          paymentIntent: 'pi_1GuestLate',
          clientReferenceId: l.id,
          email: 'guest-late@shop.test',
        }),
      ).expect(200);
      await eventually(async () =>
        expect((await paymentOf(charge.data.object.id)).attribution).toMatchObject({ status: 'attributed', method: 'client_reference_id', leadId: l.id }),
      );
      // Another session naming another lead for the same intent changes nothing.
      const other = await lead('someone-else@shop.test');
      await send(builders.checkoutSessionCompleted({ mode: 'payment', customer: null, paymentIntent: 'pi_1GuestLate', clientReferenceId: other.id })).expect(
        200,
      );
      await afterProcessing();
      expect((await paymentOf(charge.data.object.id)).attribution.leadId).toBe(l.id);
    });

    it('an unknown reference, or a customer another lead holds, changes nothing', async () => {
      const holder = await lead('holder2@acme.test', { stripeCustomerId: 'cus_HELD2' });
      const l = await lead('wants-it@acme.test');
      await send(builders.checkoutSessionCompleted({ clientReferenceId: l.id, customer: 'cus_HELD2' })).expect(200);
      await send(builders.checkoutSessionCompleted({ clientReferenceId: 'ref_unknown', customer: 'cus_NOBODY' })).expect(200);
      await afterProcessing();
      expect((await admin.get(`/v1/leads/${l.id}`).expect(200)).body.stripeCustomerId).toBeNull();
      expect((await admin.get(`/v1/leads/${holder.id}`).expect(200)).body.stripeCustomerId).toBe('cus_HELD2');
    });
  });

  describe('refunds and lost disputes', () => {
    it('partial then full refund, redelivered: refundedAmount follows the cumulative total', async () => {
      const invoice = builders.invoicePaid({ ...PRE_BASIL, amount: 10000, charge: 'ch_1RefundMe', paymentIntent: 'pi_1RefundMe' });
      await send(invoice).expect(200);
      const p = await paymentOf(invoice.data.object.id);
      const partial = builders.chargeRefunded({ ...PRE_BASIL, id: 'ch_1RefundMe', amount: 10000, amountRefunded: 3000, paymentIntent: 'pi_1RefundMe' });
      await send(partial).expect(200);
      await eventually(async () => expect((await admin.get(`/v1/payments/${p.id}`).expect(200)).body.refundedAmount).toBe(3000));
      await send(partial).expect(200);
      await send({ ...partial, id: 'evt_1SameRefundOtherEvent' }).expect(200);
      await send(builders.chargeRefunded({ ...PRE_BASIL, id: 'ch_1RefundMe', amount: 10000, amountRefunded: 10000, paymentIntent: 'pi_1RefundMe' })).expect(
        200,
      );
      await eventually(async () => expect((await admin.get(`/v1/payments/${p.id}`).expect(200)).body.refundedAmount).toBe(10000));
      const refunds = (await app.store.readStream(`payment-${companyId}-${p.id}`)).filter((e) => e.type === 'PaymentRefunded');
      expect(refunds.map((e) => e.data.amount)).toEqual([3000, 7000]);
    });

    it('matched by payment intent or by invoice id when the charge id is unknown', async () => {
      const byIntent = builders.invoicePaid({ ...PRE_BASIL, amount: 5000, charge: null, paymentIntent: 'pi_1OnlyIntent' });
      const byInvoice = builders.invoicePaid({ ...PRE_BASIL, amount: 6000, charge: null, paymentIntent: null });
      await send(byIntent).expect(200);
      await send(byInvoice).expect(200);
      await send(builders.chargeRefunded({ ...PRE_BASIL, amount: 5000, amountRefunded: 1000, paymentIntent: 'pi_1OnlyIntent' })).expect(200);
      await send(builders.chargeRefunded({ ...PRE_BASIL, amount: 6000, amountRefunded: 6000, paymentIntent: null, invoice: byInvoice.data.object.id })).expect(
        200,
      );
      await eventually(async () => {
        expect((await paymentOf(byIntent.data.object.id)).refundedAmount).toBe(1000);
        expect((await paymentOf(byInvoice.data.object.id)).refundedAmount).toBe(6000);
      });
    });

    it('a lost dispute reverses, a won one does not', async () => {
      const lost = builders.invoicePaid({ ...PRE_BASIL, amount: 8000, charge: 'ch_1Disputed' });
      const won = builders.invoicePaid({ ...PRE_BASIL, amount: 8000, charge: 'ch_1DisputeWon' });
      await send(lost).expect(200);
      await send(won).expect(200);
      await send(builders.disputeClosed({ ...PRE_BASIL, charge: 'ch_1Disputed', amount: 8000, status: 'lost' })).expect(200);
      await send(builders.disputeClosed({ ...PRE_BASIL, charge: 'ch_1DisputeWon', amount: 8000, status: 'won' })).expect(200);
      await eventually(async () => expect((await paymentOf(lost.data.object.id)).refundedAmount).toBe(8000));
      await afterProcessing();
      expect((await paymentOf(won.data.object.id)).refundedAmount).toBe(0);
    });

    it('refund before payment gives the same end state as payment before refund', async () => {
      const l = await lead('order@independent.test');
      const make = (n: string) => ({
        invoice: builders.invoicePaid({
          ...PRE_BASIL,
          amount: 9000,
          tax: 1000,
          customer: `cus_1Order${n}`,
          email: 'order@independent.test',
          charge: `ch_1Order${n}`,
          paymentIntent: `pi_1Order${n}`,
        }),
        partial: builders.chargeRefunded({
          ...PRE_BASIL,
          id: `ch_1Order${n}`,
          amount: 9000,
          amountRefunded: 2000,
          paymentIntent: `pi_1Order${n}`,
          created: 1_767_225_600,
        }),
        dispute: builders.disputeClosed({
          ...PRE_BASIL,
          charge: `ch_1Order${n}`,
          paymentIntent: `pi_1Order${n}`,
          amount: 9000,
          status: 'lost',
          created: 1_767_225_700,
        }),
      });
      const inOrder = make('A');
      const reversed = make('B');
      for (const e of [inOrder.invoice, inOrder.partial, inOrder.dispute]) await send(e).expect(200);
      for (const e of [reversed.dispute, reversed.partial]) await send(e).expect(200);
      // Both reversals parked before the payment arrives: the reactor runs other customers' events concurrently, so a
      // payment sent right after them could be recorded first and meet the dispute alone.
      await app.runner.waitFor((await app.store.head()).checkpoint);
      await send(reversed.invoice).expect(200);
      const [a, b] = await eventually(async () => {
        const both = [await paymentOf(inOrder.invoice.data.object.id), await paymentOf(reversed.invoice.data.object.id)];
        expect(both.map((p) => p.refundedAmount)).toEqual([9000, 9000]);
        return both;
      });
      const comparable = (p: Payment) => ({
        amount: p.amount,
        tax: p.tax,
        net: p.net,
        refundedAmount: p.refundedAmount,
        status: p.attribution.status,
        leadId: p.attribution.leadId,
        method: p.attribution.method,
      });
      expect(comparable(b!)).toEqual(comparable(a!));
      expect(comparable(a!)).toMatchObject({ leadId: l.id, refundedAmount: 9000 });
      const reversals = async (id: string) =>
        (await app.store.readStream(`payment-${companyId}-${id}`)).filter((e) => e.type === 'PaymentRefunded').map((e) => [e.data.reason, e.data.amount]);
      expect(await reversals(b!.id)).toEqual(await reversals(a!.id));
    });
  });

  it('documents every attribution route and shape in /docs-json', async () => {
    const doc = (await admin.get('/docs-json').expect(200)).body;
    for (const path of [
      '/v1/webhooks/stripe/{companyId}',
      '/v1/payments',
      '/v1/payments/{id}',
      '/v1/payments/{id}/diagnosis',
      '/v1/leads/{id}/stripe-customer',
      '/v1/leads/stripe-customers/bulk',
      '/v1/company/stripe/reconcile',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'PaymentResponse',
        'PaymentAttributionResponse',
        'DiagnosisResponse',
        'BulkLinkResponse',
        'ReconcileResponse',
        'WebhookAck',
        'LinkedLeadResponse',
      ]),
    );
  });

  describe('tenant isolation', () => {
    it('another company sees none of these payments and cannot diagnose or link them', async () => {
      const event = builders.invoicePaid({ customer: 'cus_ISOLATED' });
      await send(event).expect(200);
      const p = await paymentOf(event.data.object.id);
      await other.get(`/v1/payments/${p.id}`).expect(404);
      await other.get(`/v1/payments/${p.id}/diagnosis`).expect(404);
      expect((await other.get('/v1/payments').expect(200)).body.data).toEqual([]);
      const l = await lead('isolated@acme.test');
      await other.put(`/v1/leads/${l.id}/stripe-customer`, { customerId: 'cus_ISOLATED' }).expect(404);
      const bulk = await other
        .post('/v1/leads/stripe-customers/bulk', {
          items: [
            { leadId: l.id, customerId: 'cus_ISOLATED' },
            { email: 'isolated@acme.test', customerId: 'cus_ISOLATED' },
          ],
        })
        .expect(200);
      expect(bulk.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([false, false]);
      await other.post('/v1/company/stripe/reconcile', {}).expect(409);
    });

    it('partner keys are refused on admin routes', async () => {
      const created = await admin.post('/v1/partners', { name: 'P', email: 'p@partner.example', currency: 'usd' }).expect(201);
      const portal = (await import('../support/app.js')).api(app, created.body.partnerApiKey);
      await portal.get('/v1/payments').expect(403);
      await portal.put(`/v1/leads/x/stripe-customer`, { customerId: 'cus_X' }).expect(403);
      await portal.post('/v1/company/stripe/reconcile', {}).expect(403);
    });
  });

  it('a rebuilt payments read model (batched replay) equals the live one, checksum and answers', async () => {
    const names = ['payments'];
    await app.runner.waitFor((await app.store.head()).checkpoint);
    const before = await payments();
    expect(before.length).toBeGreaterThan(5);
    expect(before.some((p) => p.refundedAmount > 0) && before.some((p) => p.attribution.status === 'unattributed')).toBe(true);
    const live = await app.runner.status({ names });
    await app.runner.rebuild(names);
    await app.runner.whenRebuilt(names, 60_000);
    const after = await app.runner.status({ names });
    expect(after.map((r) => r.checksum)).toEqual(live.map((r) => r.checksum));
    expect(await payments()).toEqual(before);
  });
});
