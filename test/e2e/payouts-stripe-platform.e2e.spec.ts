import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import Stripe from 'stripe';
import { startTestApp, CONNECT_SECRET, PLATFORM_SECRET } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { bankAccountPaymentMethodObject, builders, startStripeEmulator, type StripeEmulator } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { paymentIntentParams } from '../../src/payouts/domain/payout-attempt.js';
import { type PreparedAttempt } from '../../src/invoicing/index.js';
import {
  addCard,
  approvedInvoice,
  CONNECT_PATH,
  createRequestsOf,
  deliver,
  newPartner,
  paymentIntentsOf,
  payoutTenant,
  PLATFORM_PATH,
  registerPlatformEndpoints,
  stripeDelivers,
  type Tenant,
} from './payouts-support.js';

/**
 * The platform's side of Stripe as Stripe really is (issue 13): two webhook endpoints with their own secrets, accounts
 * read back when not known to be ready, Express accounts by controller properties with transfers only (recipient
 * across borders), card-only intents confirmed server-side, and who bears Stripe's fee.
 */
describe('the platform on Stripe as it really is', () => {
  let stripe: StripeEmulator;
  let app: RunningApp;
  let t: Tenant;

  beforeAll(async () => {
    stripe = await startStripeEmulator({ platformCountry: 'US' });
    app = await startTestApp({ STRIPE_API_BASE: stripe.url, STRIPE_SECRET_KEY: 'sk_test_platform', PUBLIC_URL: 'https://partners.example' });
    registerPlatformEndpoints(app, stripe);
    t = await payoutTenant(app, stripe, 'Real Co');
    await addCard(t);
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
  });

  const stored = async (eventId: string) => app.store.readStream(`platformwebhook-${eventId}`);
  const readiness = async (partnerId: string) =>
    (await t.admin.get(`/v1/partners/${partnerId}/payout-readiness`).expect(200)).body as { checks: { id: string; ok: boolean; detail: string }[] };
  const check = async (partnerId: string, id: string) => (await readiness(partnerId)).checks.find((c) => c.id === id)!;
  const accountOf = (partnerId: string) => stripe.objects('accounts').find((a) => a.metadata?.partnerId === partnerId)!;

  describe('two platform endpoints, each with its own secret', () => {
    it('Stripe sends a connected account’s event to the Connect endpoint and the platform’s own to the account endpoint; both are taken', async () => {
      const { partnerId, portal } = await newPartner(t, 'usd');
      await portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      const updated = stripe.completeAccountOnboarding(accountOf(partnerId).id);
      const [toConnect] = await stripe.deliver(updated);
      expect(toConnect).toMatchObject({ url: `${app.url}${CONNECT_PATH}`, status: 200 });
      const setup = await t.admin.post('/v1/company/payment-method/setup-intent').expect(201);
      const succeeded = stripe.succeedSetupIntent(String(setup.body.clientSecret).split('_secret_')[0]!);
      const [toAccount] = await stripe.deliver(succeeded);
      expect(toAccount).toMatchObject({ url: `${app.url}${PLATFORM_PATH}`, status: 200 });
      expect((await stored(updated.id))[0]!.data).toMatchObject({ eventType: 'account.updated', account: updated.account });
      await eventually(async () => expect((await t.admin.get(`/v1/partners/${partnerId}`).expect(200)).body.stripeAccount.payoutsEnabled).toBe(true));
    });

    it('a connected account’s event at the account endpoint (a Connect endpoint pointed at the wrong URL) is refused, naming the right endpoint; nothing stored', async () => {
      const event = builders.accountUpdated();
      const res = await deliver(app, event, { path: PLATFORM_PATH, secret: PLATFORM_SECRET }).expect(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        code: 'wrong_webhook_endpoint',
        endpoint: CONNECT_PATH,
        secretVariable: 'STRIPE_CONNECT_WEBHOOK_SECRET',
        field: 'account',
      });
      expect(res.body.detail).toMatch(/connected account’s event \(account\.updated.*Connect endpoint.*\/v1\/webhooks\/stripe-connect/);
      expect(await stored(event.id)).toEqual([]);
    });

    it('the platform’s own event at the Connect endpoint is refused the same way', async () => {
      const event = builders.paymentIntentSucceeded();
      const res = await deliver(app, event, { path: CONNECT_PATH, secret: CONNECT_SECRET }).expect(422);
      expect(res.body).toMatchObject({ code: 'wrong_webhook_endpoint', endpoint: PLATFORM_PATH, secretVariable: 'STRIPE_WEBHOOK_SECRET' });
      expect(await stored(event.id)).toEqual([]);
    });

    it.each([
      ['the account endpoint’s secret', { secret: PLATFORM_SECRET }],
      ['a stale signature', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
      ['no signature', { signature: null }],
    ])('the Connect endpoint answers 400 for %s and stores nothing', async (_label, o) => {
      const event = builders.accountUpdated();
      const res = await deliver(app, event, o).expect(400);
      expect(res.body.code).toBe('invalid_signature');
      expect(await stored(event.id)).toEqual([]);
    });
  });

  describe('connected accounts', () => {
    it('a partner in another country gets an Express account with the recipient service agreement; its country is then fixed', async () => {
      const { partnerId, portal } = await newPartner(t, 'eur');
      await portal.post('/v1/portal/stripe/onboarding-link', { country: 'de' }).expect(201);
      const account = accountOf(partnerId);
      expect(account).toMatchObject({
        country: 'DE',
        tos_acceptance: { service_agreement: 'recipient' },
        capabilities: { transfers: 'inactive' },
        controller: { stripe_dashboard: { type: 'express' } },
      });
      const [request] = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/accounts' && r.params.metadata?.partnerId === partnerId);
      expect(request!.params).toMatchObject({
        country: 'DE',
        tos_acceptance: { service_agreement: 'recipient' },
        capabilities: { transfers: { requested: 'true' } },
        metadata: { partnerId, companyId: t.companyId },
      });
      expect(request!.params).not.toHaveProperty('type');
      await portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      await portal.post('/v1/portal/stripe/onboarding-link', { country: 'DE' }).expect(201);
      expect((await portal.post('/v1/portal/stripe/onboarding-link', { country: 'FR' }).expect(409)).body).toMatchObject({
        code: 'stripe_account_country_fixed',
        accountCountry: 'DE',
      });
      expect(stripe.objects('accounts').filter((a) => a.metadata?.partnerId === partnerId)).toHaveLength(1);
    });

    it('a domestic partner has the full agreement; the platform’s country was read from Stripe once; a made-up country is a 400', async () => {
      const { partnerId, portal } = await newPartner(t, 'usd');
      await portal.post('/v1/portal/stripe/onboarding-link', { country: 'US' }).expect(201);
      expect(accountOf(partnerId)).toMatchObject({ country: 'US', tos_acceptance: { service_agreement: 'full' } });
      expect(stripe.requests.filter((r) => r.method === 'GET' && r.path === '/v1/account')).toHaveLength(1);
      const bad = await portal.post('/v1/portal/stripe/onboarding-link', { country: 'XX' }).expect(400);
      expect(JSON.stringify(bad.body)).toContain('country');
    });

    it('readiness reads an account not known to be ready from Stripe, and records it as the webhook would', async () => {
      const { partnerId, portal } = await newPartner(t, 'usd');
      await portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      expect(await check(partnerId, 'connected_account')).toMatchObject({ ok: false, detail: expect.stringContaining('transfers not active') });
      stripe.completeAccountOnboarding(accountOf(partnerId).id); // the account.updated is never delivered
      expect(await check(partnerId, 'connected_account')).toMatchObject({
        ok: true,
        detail: `Stripe account ${accountOf(partnerId).id}: payouts enabled, transfers active`,
      });
      const changes = (await app.store.readStream(`partner-${t.companyId}-${partnerId}`)).filter((e) => e.type === 'PartnerPayoutsStatusChanged');
      expect(changes.map((e) => e.data)).toEqual([
        expect.objectContaining({ source: 'retrieve', stripeEventId: null, payoutsEnabled: false, transfersActive: false }),
        expect.objectContaining({ source: 'retrieve', stripeEventId: null, payoutsEnabled: true, transfersActive: true }),
      ]);
      const reads = stripe.requests.filter((r) => r.method === 'GET' && r.path === `/v1/accounts/${accountOf(partnerId).id}`).length;
      await readiness(partnerId);
      expect(stripe.requests.filter((r) => r.method === 'GET' && r.path === `/v1/accounts/${accountOf(partnerId).id}`)).toHaveLength(reads);
    });

    it('Pay reads the account too: paid without the webhook; payouts enabled without the transfers capability is refused', async () => {
      const partner = await newPartner(t, 'usd');
      await partner.portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      const account = accountOf(partner.partnerId);
      stripe.completeAccountOnboarding(account.id);
      const inv = await approvedInvoice(t, { currency: 'usd', partner: { ...partner, accountId: account.id } });
      expect((await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200)).body.status).toBe('paid');

      const other = await newPartner(t, 'usd');
      await other.portal.post('/v1/portal/stripe/onboarding-link').expect(201);
      const restricted = accountOf(other.partnerId);
      stripe.completeAccountOnboarding(restricted.id);
      restricted.capabilities.transfers = 'inactive';
      const blocked = await approvedInvoice(t, { currency: 'usd', partner: { ...other, accountId: restricted.id } });
      expect((await t.admin.post(`/v1/invoices/${blocked.invoiceId}/pay`).expect(409)).body).toMatchObject({ code: 'partner_transfers_inactive' });
      expect(paymentIntentsOf(stripe, blocked.invoiceId)).toHaveLength(0);
      expect(await check(other.partnerId, 'connected_account')).toMatchObject({
        ok: false,
        detail: expect.stringContaining('payouts enabled, transfers not active'),
      });
    });
  });

  describe('cards only, confirmed server-side', () => {
    it('the SetupIntent is limited to cards, so Stripe.js cannot save anything else on it', async () => {
      const setup = await t.admin.post('/v1/company/payment-method/setup-intent').expect(201);
      const id = String(setup.body.clientSecret).split('_secret_')[0]!;
      expect(stripe.objects('setup_intents').find((s) => s.id === id)).toMatchObject({
        allowed_payment_method_types: ['card'],
        payment_method_types: ['card'],
        automatic_payment_methods: null,
        usage: 'off_session',
      });
      stripe.putObject('payment_methods', bankAccountPaymentMethodObject({ id: 'pm_1RealBank' }));
      expect(() => stripe.succeedSetupIntent(id, 'pm_1RealBank')).toThrow(/accepts card, not a us_bank_account/);
    });

    it('a bank account saved on an older SetupIntent is not a silent “card missing”: Pay and the checklist name it', async () => {
      const co = await payoutTenant(app, stripe, 'Bank Co');
      await co.admin.post('/v1/company/payment-method/setup-intent').expect(201);
      const customer = stripe.objects('customers').find((c) => c.metadata?.companyId === co.companyId)!;
      stripe.putObject('payment_methods', bankAccountPaymentMethodObject({ id: 'pm_1OldBank', customer: customer.id }));
      await stripeDelivers(
        stripe,
        builders.setupIntentSucceeded({ customer: customer.id, paymentMethod: 'pm_1OldBank', metadata: { companyId: co.companyId } }),
      );
      const inv = await approvedInvoice(co, { currency: 'usd' });
      const refused = await eventually(async () => {
        const res = await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(409);
        expect(res.body.fix).toContain('pm_1OldBank');
        return res.body;
      });
      expect(refused).toMatchObject({
        code: 'company_card_missing',
        fix: expect.stringMatching(/pm_1OldBank\) is a us_bank_account, which Pay cannot charge/),
      });
      expect(
        (await co.admin.get(`/v1/partners/${inv.partnerId}/payout-readiness`).expect(200)).body.checks.find((c: { id: string }) => c.id === 'company_card'),
      ).toMatchObject({ ok: false, detail: expect.stringContaining('pm_1OldBank is a us_bank_account') });
      await co.admin.get('/v1/company/payment-method').expect(404);
    });

    it('Pay’s PaymentIntent is card-only, off-session, with no return_url; Stripe refuses the same intent with dynamic payment methods', async () => {
      const inv = await approvedInvoice(t, { currency: 'usd' });
      await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      const [request] = createRequestsOf(stripe, inv.invoiceId);
      expect(request!.params).toMatchObject({ confirm: 'true', off_session: 'true', allowed_payment_method_types: ['card'] });
      expect(request!.params).not.toHaveProperty('return_url');
      expect(paymentIntentsOf(stripe, inv.invoiceId)[0]).toMatchObject({
        status: 'succeeded',
        automatic_payment_methods: null,
        payment_method_types: ['card'],
      });

      const [prepared] = (await app.store.readStream(`invoice-${t.companyId}-${inv.invoiceId}`)).filter((e) => e.type === 'PayoutAttemptPrepared');
      const { paymentMethodTypes: _cards, ...dynamic } = prepared!.data as PreparedAttempt;
      const sdk = new Stripe('sk_test_platform', { host: '127.0.0.1', port: stripe.port, protocol: 'http', maxNetworkRetries: 0 });
      await expect(
        sdk.paymentIntents.create(paymentIntentParams({ ...dynamic, idempotencyKey: 'pf-test-dynamic' }), { idempotencyKey: 'pf-test-dynamic' }),
      ).rejects.toMatchObject({
        statusCode: 400,
        message: expect.stringContaining('you must provide a `return_url`'),
      });
    });
  });

  describe('who bears Stripe’s fee', () => {
    it('the platform (the default): the charge is the invoice total and transfers all of it', async () => {
      const inv = await approvedInvoice(t, { currency: 'eur', paid: 61_725 });
      await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200);
      expect(paymentIntentsOf(stripe, inv.invoiceId)[0]).toMatchObject({ amount: 12_345, transfer_data: { destination: inv.accountId } });
      expect(paymentIntentsOf(stripe, inv.invoiceId)[0]!.transfer_data).not.toHaveProperty('amount');
      const [prepared] = (await app.store.readStream(`invoice-${t.companyId}-${inv.invoiceId}`)).filter((e) => e.type === 'PayoutAttemptPrepared');
      expect(prepared!.data).toMatchObject({ amount: 12_345, transferAmount: 12_345, fee: { payer: 'platform' } });
    });

    describe('the company', () => {
      let feeStripe: StripeEmulator;
      let feeApp: RunningApp;
      let co: Tenant;

      beforeAll(async () => {
        feeStripe = await startStripeEmulator();
        feeApp = await startTestApp({
          STRIPE_API_BASE: feeStripe.url,
          STRIPE_PLATFORM_COUNTRY: 'US',
          STRIPE_CONNECT_WEBHOOK_SECRET: '',
          STRIPE_FEE_PAYER: 'company',
          STRIPE_FEE_PERCENT: '2.9',
          STRIPE_FEE_FIXED: 'usd:30,eur:25',
        });
        feeStripe.addWebhookEndpoint({ url: `${feeApp.url}${PLATFORM_PATH}`, secret: PLATFORM_SECRET });
        co = await payoutTenant(feeApp, feeStripe, 'Fee Co');
        await addCard(co);
      });
      afterAll(async () => {
        await feeApp?.close();
        await feeStripe?.close();
      });

      it('the charge is grossed up, transfer_data[amount] is the invoice total, and the gross-up is recorded on the attempt', async () => {
        const partner = await newPartner(co, 'eur');
        await partner.portal.post('/v1/portal/stripe/onboarding-link').expect(201);
        const account = feeStripe.objects('accounts').find((a) => a.metadata?.partnerId === partner.partnerId)!;
        feeStripe.completeAccountOnboarding(account.id); // no Connect endpoint here: Pay reads the account
        expect(feeStripe.requests.filter((r) => r.path === '/v1/account')).toHaveLength(0);
        const inv = await approvedInvoice(co, { currency: 'eur', paid: 61_725, partner: { ...partner, accountId: account.id } });
        expect((await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(200)).body).toMatchObject({ status: 'paid', total: 12_345 });
        // 2.9 % of 12739 is 369.43 → 369; + 25 = 394; 12739 − 394 = 12345: exactly the invoice is left for the partner.
        const [intent] = feeStripe.objects('payment_intents').filter((pi) => pi.metadata?.invoiceId === inv.invoiceId);
        expect(intent).toMatchObject({ amount: 12_739, currency: 'eur', status: 'succeeded', transfer_data: { destination: account.id, amount: 12_345 } });
        expect(feeStripe.objects('charges').find((c) => c.id === intent.latest_charge)).toMatchObject({
          amount: 12_739,
          transfer_data: { amount: 12_345, destination: account.id },
        });
        const [prepared] = (await feeApp.store.readStream(`invoice-${co.companyId}-${inv.invoiceId}`)).filter((e) => e.type === 'PayoutAttemptPrepared');
        expect(prepared!.data).toMatchObject({
          amount: 12_739,
          transferAmount: 12_345,
          fee: { payer: 'company', percent: '2.9', fixed: 25, estimatedFee: 394 },
        });
      });

      it('a currency with no configured fixed fee is refused before anything is appended or charged', async () => {
        const partner = await onboardedPartnerWithoutWebhook(co, feeStripe, 'gbp');
        const inv = await approvedInvoice(co, { currency: 'gbp', partner });
        expect((await co.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(422)).body).toMatchObject({
          code: 'fee_not_configured',
          currency: 'gbp',
          detail: expect.stringContaining('STRIPE_FEE_FIXED'),
        });
        expect((await feeApp.store.readStream(`invoice-${co.companyId}-${inv.invoiceId}`)).map((e) => e.type)).toEqual(['InvoiceGenerated', 'InvoiceApproved']);
        expect(feeStripe.objects('payment_intents').filter((pi) => pi.metadata?.invoiceId === inv.invoiceId)).toHaveLength(0);
      });

      it('without STRIPE_CONNECT_WEBHOOK_SECRET the Connect endpoint answers 503 naming it', async () => {
        const res = await deliver(feeApp, builders.accountUpdated()).expect(503);
        expect(res.body).toMatchObject({ code: 'connect_webhook_not_configured', detail: expect.stringContaining('STRIPE_CONNECT_WEBHOOK_SECRET') });
      });
    });
  });
});

async function onboardedPartnerWithoutWebhook(t: Tenant, stripe: StripeEmulator, currency: string) {
  const partner = await newPartner(t, currency);
  await partner.portal.post('/v1/portal/stripe/onboarding-link').expect(201);
  const account = stripe.objects('accounts').find((a) => a.metadata?.partnerId === partner.partnerId)!;
  stripe.completeAccountOnboarding(account.id);
  return { ...partner, accountId: account.id };
}
