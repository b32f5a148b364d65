import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import Stripe from 'stripe';
import { startTestApp, api, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { startStripeEmulator, builders, makeEvent, type StripeEmulator } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { paymentIntentParams } from '../../src/payouts/domain/payout-attempt.js';
import { type PreparedAttempt } from '../../src/invoicing/index.js';
import { PayoutRecovery } from '../../src/payouts/reactors/payout-recovery.job.js';
import {
  addCard,
  approvedInvoice,
  createRequestsOf,
  deliver,
  newPartner,
  onboardedPartner,
  paymentIntentsOf,
  payoutTenant,
  registerPlatformEndpoints,
  stripeDelivers,
  type Tenant,
} from './payouts-support.js';

describe('payouts over HTTP with the Stripe emulator', () => {
  let stripe: StripeEmulator;
  let app: RunningApp;
  let t: Tenant;

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    app = await startTestApp({ STRIPE_API_BASE: stripe.url, STRIPE_SECRET_KEY: 'sk_test_platform', PUBLIC_URL: 'https://partners.example' });
    registerPlatformEndpoints(app, stripe);
    t = await payoutTenant(app, stripe, 'Acme');
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
  });
  afterEach(() => stripe.clearFaults());

  const invoice = async (co: Api, id: string) =>
    (await co.get(`/v1/invoices/${id}`).expect(200)).body as { status: string; paymentIntentId: string | null; failureReason: string | null };

  describe('company card', () => {
    it('404 problem before a card; setup intent off_session on one platform customer; brand/last4 after setup_intent.succeeded', async () => {
      const { admin, company } = await newCompany(app, { name: 'Card Co' });
      const none = await admin.get('/v1/company/payment-method').expect(404);
      expect(none.headers['content-type']).toContain('application/problem+json');

      expect(await addCard({ app, stripe, admin }, 'pm_card_mastercard')).toEqual({ id: expect.stringMatching(/^pm_/), brand: 'mastercard', last4: '4444' });
      await addCard({ app, stripe, admin }, 'pm_card_visa');
      expect((await admin.get('/v1/company/payment-method').expect(200)).body).toMatchObject({ brand: 'visa', last4: '4242' });

      const customers = stripe.objects('customers').filter((c) => c.metadata?.companyId === company.id);
      expect(customers).toHaveLength(1);
      const intents = stripe.objects('setup_intents').filter((s) => s.metadata?.companyId === company.id);
      expect(intents).toHaveLength(2);
      expect(intents.every((s) => s.usage === 'off_session' && s.customer === customers[0]!.id)).toBe(true);
    });

    it('a setup_intent.succeeded Stripe cannot show the card of is skipped without blocking later events', async () => {
      const { admin, company } = await newCompany(app, { name: 'Gone Co' });
      await admin.post('/v1/company/payment-method/setup-intent').expect(201);
      const customer = stripe.objects('customers').find((c) => c.metadata?.companyId === company.id)!;
      await deliver(
        app,
        makeEvent('setup_intent.succeeded', {
          id: 'seti_gone',
          object: 'setup_intent',
          customer: customer.id,
          payment_method: 'pm_deleted_long_ago',
          status: 'succeeded',
        }),
      ).expect(200);
      await deliver(
        app,
        makeEvent('setup_intent.succeeded', {
          id: 'seti_foreign',
          object: 'setup_intent',
          customer: 'cus_not_ours',
          payment_method: 'pm_card_visa',
          status: 'succeeded',
        }),
      ).expect(200);
      await settled();
      await admin.get('/v1/company/payment-method').expect(404);
      expect(await addCard({ app, stripe, admin })).toMatchObject({ brand: 'visa' });
      expect((await app.runner.status()).find((s) => s.name === 'payouts_platform_webhooks')).toMatchObject({ status: 'running', lastError: null });
    });

    it('creates one platform customer under concurrent setup-intent calls', async () => {
      const { admin, company } = await newCompany(app, { name: 'Race Co' });
      const answers = await Promise.all(Array.from({ length: 6 }, () => admin.post('/v1/company/payment-method/setup-intent')));
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
      expect(stripe.objects('customers').filter((c) => c.metadata?.companyId === company.id)).toHaveLength(1);
    });
  });

  describe('partner onboarding', () => {
    it('creates the Express account once and reuses it; account.updated enables payouts', async () => {
      const { partnerId, portal } = await newPartner(t, 'usd');
      const first = await portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      const second = await portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      expect(first.body.url).toMatch(/^http/);
      expect(second.body.url).not.toBe(first.body.url);

      const accounts = stripe.objects('accounts').filter((a) => a.metadata?.partnerId === partnerId);
      expect(accounts).toHaveLength(1);
      const account = accounts[0]!;
      expect(account).toMatchObject({
        type: 'none',
        country: 'US',
        email: expect.stringMatching(/@partner\.example$/),
        metadata: { partnerId, companyId: t.companyId },
      });
      expect(account.controller).toMatchObject({
        fees: { payer: 'application' },
        losses: { payments: 'application' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'express' },
      });
      expect(account.capabilities).toEqual({ transfers: 'inactive' });
      const created = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/accounts' && r.params.metadata?.partnerId === partnerId);
      expect(created.map((r) => [r.params.type, r.params.capabilities, r.params.tos_acceptance])).toEqual([
        [undefined, { transfers: { requested: 'true' } }, undefined],
      ]);
      const links = stripe.objects('account_links').filter((l) => l.account === account.id);
      expect(links.map((l) => [l.type, l.return_url.startsWith('https://partners.example/')])).toEqual([
        ['account_onboarding', true],
        ['account_onboarding', true],
      ]);
      expect((await t.admin.get(`/v1/partners/${partnerId}`).expect(200)).body.stripeAccount).toEqual({ id: account.id, payoutsEnabled: false });

      const updated = stripe.completeAccountOnboarding(account.id);
      expect(await stripeDelivers(stripe, updated)).toEqual({ received: true, duplicate: false });
      await eventually(async () =>
        expect((await t.admin.get(`/v1/partners/${partnerId}`).expect(200)).body.stripeAccount).toEqual({ id: account.id, payoutsEnabled: true }),
      );
      expect(await stripeDelivers(stripe, updated)).toEqual({ received: true, duplicate: true });
      expect((await portal.get('/v1/portal/me').expect(200)).body.stripeAccount.payoutsEnabled).toBe(true);
    });

    it('matches account.updated through the account’s metadata when the claim is missing, and only for the partner’s own account', async () => {
      const { partnerId } = await newPartner(t, 'usd');
      await app.store.append(
        `partner-${t.companyId}-${partnerId}`,
        [{ type: 'PartnerStripeAccountCreated', data: { companyId: t.companyId, partnerId, accountId: 'acct_unclaimed' } }],
        'stream_exists',
      );
      const metadata = { companyId: t.companyId, partnerId };
      await deliver(app, builders.accountUpdated({ id: 'acct_impostor', metadata, payoutsEnabled: true })).expect(200);
      await settled();
      expect((await t.admin.get(`/v1/partners/${partnerId}`).expect(200)).body.stripeAccount).toEqual({ id: 'acct_unclaimed', payoutsEnabled: false });
      await deliver(app, builders.accountUpdated({ id: 'acct_unclaimed', metadata, payoutsEnabled: true })).expect(200);
      await eventually(async () =>
        expect((await t.admin.get(`/v1/partners/${partnerId}`).expect(200)).body.stripeAccount).toEqual({ id: 'acct_unclaimed', payoutsEnabled: true }),
      );
    });

    it('creates one account under concurrent link requests, all with the partner’s key', async () => {
      const { partnerId, portal } = await newPartner(t, 'usd');
      const answers = await Promise.all(Array.from({ length: 8 }, () => portal.post('/v1/portal/stripe/onboarding-link')));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
      expect(stripe.objects('accounts').filter((a) => a.metadata?.partnerId === partnerId)).toHaveLength(1);
      const keys = new Set(stripe.requests.filter((r) => r.path === '/v1/accounts' && r.params.metadata?.partnerId === partnerId).map((r) => r.idempotencyKey));
      expect([...keys]).toEqual([`pf-connect-account-${t.companyId}-${partnerId}`]);
    });
  });

  describe('platform webhook', () => {
    const event = () => makeEvent('account.updated', { id: 'acct_nobody', object: 'account', payouts_enabled: true });

    it.each([
      ['a wrong secret', { secret: 'whsec_wrong' }],
      ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
      ['no signature', { signature: null }],
      ['a malformed signature', { signature: 't=abc,v1=zz' }],
    ])('answers 400 problem+json for %s and stores nothing', async (_label, o) => {
      const e = event();
      const res = await deliver(app, e, o).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await app.store.readStream(`platformwebhook-${e.id}`)).toEqual([]);
    });

    it('stores an event of an unknown account and ignores it', async () => {
      const e = event();
      await deliver(app, e).expect(200);
      expect(await app.store.readStream(`platformwebhook-${e.id}`)).toHaveLength(1);
    });
  });

  describe('Pay', () => {
    beforeAll(() => addCard(t));

    it('approved → one PaymentIntent: amount, currency, customer, card, destination, metadata, idempotency key → paid', async () => {
      const inv = await approvedInvoice(t, { currency: 'eur', paid: 61_725 });
      expect(inv.total).toBe(12_345);
      const res = await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      const intents = paymentIntentsOf(stripe, inv.invoiceId);
      expect(intents).toHaveLength(1);
      const card = (await t.admin.get('/v1/company/payment-method').expect(200)).body;
      const customer = stripe.objects('customers').find((c) => c.metadata?.companyId === t.companyId)!;
      expect(intents[0]).toMatchObject({
        amount: 12_345,
        currency: 'eur',
        customer: customer.id,
        payment_method: card.id,
        status: 'succeeded',
        transfer_data: { destination: inv.accountId },
        metadata: { invoiceId: inv.invoiceId, companyId: t.companyId, partnerId: inv.partnerId, attempt: '1' },
      });
      expect(
        createRequestsOf(stripe, inv.invoiceId).map((r) => [
          r.idempotencyKey,
          r.params.off_session,
          r.params.confirm,
          r.params.allowed_payment_method_types,
          r.params.return_url,
          r.params.transfer_data,
        ]),
      ).toEqual([[`pf-invoice-${inv.invoiceId}-attempt-1`, 'true', 'true', ['card'], undefined, { destination: inv.accountId }]]);
      expect(res.body).toMatchObject({
        id: inv.invoiceId,
        status: 'paid',
        paymentIntentId: intents[0]!.id,
        total: 12_345,
        currency: 'eur',
        failureReason: null,
      });

      expect((await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(409)).body).toMatchObject({
        code: 'invalid_invoice_transition',
        currentStatus: 'paid',
      });
      await stripeDelivers(stripe, makeEvent('payment_intent.succeeded', intents[0]!));
      await settled();
      expect((await app.store.readStream(`invoice-${t.companyId}-${inv.invoiceId}`)).map((e) => e.type)).toEqual([
        'InvoiceGenerated',
        'InvoiceApproved',
        'InvoicePaymentStarted',
        'PayoutAttemptPrepared',
        'InvoicePaymentIntentCreated',
        'InvoicePaid',
      ]);
    });

    it('20 concurrent pay calls → one attempt, one PaymentIntent; the others 409 naming the status', async () => {
      const inv = await approvedInvoice(t);
      const answers = await Promise.all(Array.from({ length: 20 }, () => t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      for (const loser of answers.filter((a) => a.status === 409)) expect(['processing', 'paid']).toContain(loser.body.currentStatus);
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
      const events = await app.store.readStream(`invoice-${t.companyId}-${inv.invoiceId}`);
      expect(events.filter((e) => e.type === 'InvoicePaymentStarted')).toHaveLength(1);
    });

    it('Stripe 500 then success → still one PaymentIntent, every request with the same key', async () => {
      const inv = await approvedInvoice(t);
      stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 500, count: 1 });
      stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 500, count: 1, afterEffect: true });
      expect((await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200)).body.status).toBe('paid');
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
      const requests = createRequestsOf(stripe, inv.invoiceId);
      expect(requests.length).toBeGreaterThanOrEqual(3);
      expect(new Set(requests.map((r) => r.idempotencyKey))).toEqual(new Set([`pf-invoice-${inv.invoiceId}-attempt-1`]));
    });

    it('Stripe 429 (not retried by the SDK) then success → ours retries with the same key', async () => {
      const inv = await approvedInvoice(t);
      stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 429, count: 2 });
      expect((await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200)).body.status).toBe('paid');
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
      expect(createRequestsOf(stripe, inv.invoiceId).map((r) => r.idempotencyKey)).toEqual(Array(3).fill(`pf-invoice-${inv.invoiceId}-attempt-1`));
    });

    it('Stripe down: 503, the attempt stays open; recovery resends with the same key and pays once', async () => {
      const inv = await approvedInvoice(t);
      stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 503, count: 100 });
      expect((await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(503)).body.code).toBe('stripe_unavailable');
      stripe.clearFaults();
      expect((await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(409)).body).toMatchObject({
        code: 'payment_in_progress',
        currentStatus: 'processing',
      });
      await recover();
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
      expect(new Set(createRequestsOf(stripe, inv.invoiceId).map((r) => r.idempotencyKey))).toEqual(new Set([`pf-invoice-${inv.invoiceId}-attempt-1`]));
      expect((await invoice(t.admin, inv.invoiceId)).status).toBe('paid');
    });

    it('a crash after InvoicePaymentStarted, before Stripe: recovery sends attempt 1’s key once', async () => {
      const inv = await approvedInvoice(t);
      await crashAfterStart(inv);
      await recover();
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
      expect(createRequestsOf(stripe, inv.invoiceId).map((r) => r.idempotencyKey)).toEqual([`pf-invoice-${inv.invoiceId}-attempt-1`]);
      expect((await invoice(t.admin, inv.invoiceId)).status).toBe('paid');
    });

    it('a crash after Stripe charged, before it was recorded: the resend is replayed, never charged twice', async () => {
      const inv = await approvedInvoice(t);
      const attempt = await crashAfterStart(inv);
      await sdkCreate(attempt);
      await recover();
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
      expect((await invoice(t.admin, inv.invoiceId)).status).toBe('paid');
    });

    it('processing → paid on payment_intent.succeeded when the answer was lost', async () => {
      const inv = await approvedInvoice(t);
      const pi = await sdkCreate(await crashAfterStart(inv));
      await settled();
      expect((await invoice(t.admin, inv.invoiceId)).status).toBe('processing');
      await deliver(app, makeEvent('payment_intent.succeeded', pi)).expect(200);
      await eventually(async () => expect(await invoice(t.admin, inv.invoiceId)).toMatchObject({ status: 'paid', paymentIntentId: pi.id }));
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
    });

    it('decline → payment_failed with an actionable reason; after a good card, pay again → paid (attempt 2)', async () => {
      const co = await payoutTenant(app, stripe, 'Decline Co');
      await addCard(co, 'pm_card_chargeCustomerFail');
      const inv = await approvedInvoice(co, { currency: 'usd' });

      const failed = await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      expect(failed.body).toMatchObject({
        status: 'payment_failed',
        failureReason: expect.stringMatching(/card was declined \(generic_decline\).*update its card/),
      });
      await addCard(co, 'pm_card_visa');
      const paid = await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      expect(paid.body).toMatchObject({ status: 'paid', failureReason: null });
      expect(paymentIntentsOf(stripe, inv.invoiceId).map((pi) => pi.status)).toEqual(['requires_payment_method', 'succeeded']);
      expect(createRequestsOf(stripe, inv.invoiceId).map((r) => r.idempotencyKey)).toEqual([
        `pf-invoice-${inv.invoiceId}-attempt-1`,
        `pf-invoice-${inv.invoiceId}-attempt-2`,
      ]);
    });

    it('a card needing authentication → payment_failed saying so; the payment_failed webhook changes nothing more', async () => {
      const co = await payoutTenant(app, stripe, '3DS Co');
      await addCard(co, 'pm_card_authenticationRequired');
      const inv = await approvedInvoice(co, { currency: 'usd' });
      const res = await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      expect(res.body).toMatchObject({ status: 'payment_failed', failureReason: expect.stringContaining('requires authentication') });
      const failedEvent = makeEvent('payment_intent.payment_failed', paymentIntentsOf(stripe, inv.invoiceId)[0]!);
      expect(failedEvent.data.object.last_payment_error.payment_method).toMatchObject({ card: expect.any(Object) });
      await deliver(app, failedEvent).expect(200);
      await settled();
      expect((await app.store.readStream(`invoice-${co.companyId}-${inv.invoiceId}`)).filter((e) => e.type === 'InvoicePaymentFailed')).toHaveLength(1);
      const [stored] = await app.store.readStream(`platformwebhook-${failedEvent.id}`);
      expect((stored!.data as { object: { last_payment_error: { payment_method: unknown } } }).object.last_payment_error.payment_method).toEqual(
        expect.stringMatching(/^pm_/),
      );
    });

    it('refuses before appending anything: no card, no account, payouts disabled, not approved, unknown', async () => {
      const co = await payoutTenant(app, stripe, 'Missing Co');
      const bare = await newPartner(co, 'usd');
      const inv = await approvedInvoice(co, { currency: 'usd', partner: bare });
      const pay = () => co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`);
      expect((await pay().expect(409)).body).toMatchObject({ code: 'company_card_missing', fix: expect.stringContaining('setup-intent') });
      await addCard(co);
      expect((await pay().expect(409)).body.code).toBe('partner_account_missing');
      await bare.portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      expect((await pay().expect(409)).body.code).toBe('partner_payouts_disabled');
      expect((await app.store.readStream(`invoice-${co.companyId}-${inv.invoiceId}`)).map((e) => e.type)).toEqual(['InvoiceGenerated', 'InvoiceApproved']);
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(0);

      const voided = await approvedInvoice(co, { currency: 'usd' });
      await co.admin.post(`/v1/invoices/${voided.invoiceId}/void`).expect(200);
      expect((await co.admin.post(`/v1/invoices/${voided.invoiceId}/pay`).expect(409)).body).toMatchObject({
        code: 'invalid_invoice_transition',
        currentStatus: 'void',
      });
      await co.admin.post('/v1/invoices/inv_nope/pay').expect(404);
      expect((await co.admin.post('/v1/invoices/%00/pay').expect(400)).headers['content-type']).toContain('application/problem+json');
      await co.admin.get(`/v1/partners/${'x'.repeat(300)}/payout-readiness`).expect(404);
    });

    it('isolates tenants and roles', async () => {
      const inv = await approvedInvoice(t);
      const { admin: other } = await newCompany(app, { name: 'Other Co' });
      await other.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(404);
      await other.get(`/v1/partners/${inv.partnerId}/payout-readiness`).expect(404);
      await other.get('/v1/company/payment-method').expect(404);
      await inv.portal.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(403);
      await inv.portal.post('/v1/company/payment-method/setup-intent').expect(403);
      await inv.portal.get('/v1/company/payment-method').expect(403);
      await inv.portal.get(`/v1/partners/${inv.partnerId}/payout-readiness`).expect(403);
      await t.admin.post('/v1/portal/stripe/onboarding-link').expect(403);
      await api(app).post(`/v1/invoices/${inv.invoiceId}/pay`).expect(401);
      expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(0);
      expect((await invoice(t.admin, inv.invoiceId)).status).toBe('approved');
    });

    /** What a process that died right after InvoicePaymentStarted leaves behind: the attempt, no Stripe call. */
    async function crashAfterStart(inv: Awaited<ReturnType<typeof approvedInvoice>>): Promise<PreparedAttempt> {
      const customer = stripe.objects('customers').find((c) => c.metadata?.companyId === t.companyId)!;
      const card = (await t.admin.get('/v1/company/payment-method').expect(200)).body;
      const idempotencyKey = `pf-invoice-${inv.invoiceId}-attempt-1`;
      const ids = { companyId: t.companyId, invoiceId: inv.invoiceId, partnerId: inv.partnerId, attempt: 1, idempotencyKey };
      const attempt: PreparedAttempt = {
        ...ids,
        amount: inv.total,
        currency: inv.currency,
        customerId: customer.id,
        paymentMethodId: card.id,
        destinationAccountId: inv.accountId!,
        transferAmount: inv.total,
        paymentMethodTypes: ['card'],
        fee: { payer: 'platform' },
      };
      await app.store.append(
        `invoice-${t.companyId}-${inv.invoiceId}`,
        [
          { type: 'InvoicePaymentStarted', data: ids },
          { type: 'PayoutAttemptPrepared', data: { ...attempt } },
        ],
        2,
      );
      return attempt;
    }

    /** The Stripe call the dead process made, with the attempt's key and parameters. */
    function sdkCreate(a: PreparedAttempt) {
      return new Stripe('sk_test_platform', { host: '127.0.0.1', port: stripe.port, protocol: 'http' }).paymentIntents.create(paymentIntentParams(a), {
        idempotencyKey: a.idempotencyKey,
      });
    }

    async function recover() {
      await eventually(async () => expect(await app.app.get(PayoutRecovery).run(0)).toBeGreaterThan(0));
    }
  });

  it('documents its routes with response schemas in /docs-json', async () => {
    const doc = (await api(app).get('/docs-json').expect(200)).body;
    const routes: [string, string][] = [
      ['/v1/portal/stripe/onboarding-link', 'post'],
      ['/v1/webhooks/stripe-platform', 'post'],
      ['/v1/webhooks/stripe-connect', 'post'],
      ['/v1/company/payment-method/setup-intent', 'post'],
      ['/v1/company/payment-method', 'get'],
      ['/v1/invoices/{id}/pay', 'post'],
      ['/v1/partners/{id}/payout-readiness', 'get'],
    ];
    for (const [path, method] of routes) {
      const responses = Object.values(doc.paths[path]?.[method]?.responses ?? {}) as { content?: Record<string, { schema?: { $ref?: string } }> }[];
      expect(responses.some((r) => r.content?.['application/json']?.schema?.$ref)).toBe(true);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['PaymentMethodResponse', 'PayoutReadinessResponse', 'SetupIntentResponse', 'OnboardingLinkResponse']),
    );
  });

  describe('payout readiness', () => {
    type Check = { id: string; ok: boolean; detail: string; fix: string | null };
    const readiness = async (co: Api, partnerId: string) =>
      (await co.get(`/v1/partners/${partnerId}/payout-readiness`).expect(200)).body as { ready: boolean; checks: Check[] };

    it('a partner with nothing set up fails every check, each with its fix', async () => {
      const { admin } = await newCompany(app, { name: 'Bare Co' });
      const p = await admin.post('/v1/partners', { name: 'Nobody', email: 'nobody@partner.example', currency: 'usd' }).expect(201);
      const r = await readiness(admin, p.body.id);
      expect(r.ready).toBe(false);
      expect(r.checks.map((c) => c.id)).toEqual([
        'payments_attributed',
        'lead_linked',
        'revenue_present',
        'connected_account',
        'bank_details',
        'company_card',
        'payout_method',
        'invoice_status',
        'schedule_configured',
      ]);
      for (const c of r.checks)
        expect(c).toEqual({ id: c.id, ok: false, detail: expect.any(String), fix: expect.stringMatching(/\S{10}/), required: expect.any(Boolean) });
      await admin.get('/v1/partners/pa_unknown/payout-readiness').expect(404);
    });

    it('a fully set-up partner is ready; a failed payment makes it not ready with the reason', async () => {
      const co = await payoutTenant(app, stripe, 'Ready Co');
      await addCard(co, 'pm_card_chargeCustomerFail');
      const inv = await approvedInvoice(co, { currency: 'usd' });
      await inv.portal
        .patch('/v1/portal/bank-details', { accountHolder: 'Pat Partner', bankName: 'Bank', country: 'DE', iban: 'DE89370400440532013000' })
        .expect(200);

      await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      const failing = (await readiness(co.admin, inv.partnerId)).checks.filter((c) => !c.ok);
      expect(failing.map((c) => c.id)).toEqual(['invoice_status']);
      expect(failing[0]!.fix).toMatch(/card was declined.*\/pay again/);

      await addCard(co, 'pm_card_visa');
      await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      const r = await readiness(co.admin, inv.partnerId);
      expect(r.checks.filter((c) => !c.ok)).toEqual([]);
      expect(r.ready).toBe(true);
      expect(r.checks.find((c) => c.id === 'company_card')!.detail).toBe('visa ending 4242');
    });
  });

  /** Waits until every subscriber (the webhook reactor too) has processed everything stored so far. */
  async function settled() {
    await app.runner.waitFor((await app.store.head()).checkpoint, 10_000, app.runner.names);
  }
});
