import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expect } from '@jest/globals';
import type { RunningApp } from '../../src/bootstrap.js';
import { builders, signWebhookPayload, type StripeEmulator, type StripeEvent } from '../stripe-emulator/index.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { api, CONNECT_SECRET, newCompany, PLATFORM_SECRET, type Api } from '../support/app.js';

export { CONNECT_SECRET, PLATFORM_SECRET } from '../support/app.js';

export const PLATFORM_PATH = '/v1/webhooks/stripe-platform';
export const CONNECT_PATH = '/v1/webhooks/stripe-connect';

/**
 * Posts an event as Stripe does, raw JSON with a signed header: a connected account's event (with `account`) to the
 * Connect endpoint signed with its secret, the platform's own to the account endpoint; `path` and `secret` override.
 */
export function deliver(
  app: RunningApp,
  event: { account?: string },
  o: { path?: string; secret?: string; timestamp?: number; signature?: string | null } = {},
) {
  const payload = JSON.stringify(event);
  const connect = Boolean(event.account);
  let req = request(app.app.getHttpServer())
    .post(o.path ?? (connect ? CONNECT_PATH : PLATFORM_PATH))
    .set('Content-Type', 'application/json');
  const signature =
    o.signature === undefined ? signWebhookPayload(payload, o.secret ?? (connect ? CONNECT_SECRET : PLATFORM_SECRET), o.timestamp) : o.signature;
  if (signature !== null) req = req.set('Stripe-Signature', signature);
  return req.send(payload);
}

/**
 * The operator's set-up in the Stripe Dashboard, on the emulator: an account endpoint for the platform's own events
 * and a Connect endpoint for connected accounts' events, each with its own signing secret (the ones the app has).
 */
export function registerPlatformEndpoints(app: RunningApp, stripe: StripeEmulator) {
  stripe.addWebhookEndpoint({
    url: `${app.url}${PLATFORM_PATH}`,
    secret: PLATFORM_SECRET,
    enabledEvents: ['setup_intent.succeeded', 'payment_intent.succeeded', 'payment_intent.payment_failed'],
  });
  stripe.addWebhookEndpoint({ url: `${app.url}${CONNECT_PATH}`, connect: true, secret: CONNECT_SECRET, enabledEvents: ['account.updated'] });
}

/** Stripe delivers the event to the one endpoint of its kind, which takes it. */
export async function stripeDelivers(stripe: StripeEmulator, event: StripeEvent) {
  const deliveries = await stripe.deliver(event);
  expect(deliveries.map((d) => d.status)).toEqual([200]);
  return JSON.parse(deliveries[0]!.body) as { received: boolean; duplicate: boolean };
}

export interface Tenant {
  app: RunningApp;
  stripe: StripeEmulator;
  admin: Api;
  companyId: string;
  /** The company's own Stripe webhook (payments to attribute). */
  send: ReturnType<typeof stripeWebhooks>;
}

/** A company whose commissions are payable at once and whose Stripe account is connected. */
export async function payoutTenant(app: RunningApp, stripe: StripeEmulator, name: string): Promise<Tenant> {
  const { admin, company } = await newCompany(app, { name });
  await admin.patch('/v1/company', { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 } }).expect(200);
  const secret = `whsec_${company.id}`;
  await admin.put('/v1/company/stripe', { webhookSecret: secret }).expect(200);
  return { app, stripe, admin, companyId: company.id, send: stripeWebhooks(app, company.id, secret) };
}

/** Setup intent → the customer confirms it in Stripe.js (emulated) → Stripe's webhook → the card shows. */
export async function addCard(t: Pick<Tenant, 'app' | 'stripe' | 'admin'>, token = 'pm_card_visa') {
  const res = await t.admin.post('/v1/company/payment-method/setup-intent').expect(201);
  const setupIntentId = String(res.body.clientSecret).split('_secret_')[0]!;
  const event = t.stripe.succeedSetupIntent(setupIntentId, token);
  await stripeDelivers(t.stripe, event);
  const pmId = (event.data.object as { payment_method: string }).payment_method;
  return eventually(async () => {
    const card = await t.admin.get('/v1/company/payment-method').expect(200);
    expect(card.body.id).toBe(pmId);
    return card.body as { id: string; brand: string; last4: string };
  });
}

export interface Partner {
  partnerId: string;
  portal: Api;
  accountId?: string;
}

export async function newPartner(t: Tenant, currency = 'eur'): Promise<Partner> {
  const partner = await t.admin.post('/v1/partners', { name: 'Pat', email: `pat-${randomUUID().slice(0, 8)}@partner.example`, currency }).expect(201);
  return { partnerId: partner.body.id, portal: api(t.app, partner.body.partnerApiKey) };
}

/** A partner with an onboarded Express account (payouts enabled through account.updated). */
export async function onboardedPartner(t: Tenant, currency = 'eur'): Promise<Required<Partner>> {
  const { partnerId, portal } = await newPartner(t, currency);
  await portal.post('/v1/portal/stripe/onboarding-link').expect(201);
  const account = t.stripe.objects('accounts').find((a) => a.metadata?.partnerId === partnerId)!;
  await stripeDelivers(t.stripe, t.stripe.completeAccountOnboarding(account.id));
  await eventually(async () =>
    expect((await t.admin.get(`/v1/partners/${partnerId}`).expect(200)).body.stripeAccount).toEqual({ id: account.id, payoutsEnabled: true }),
  );
  return { partnerId, portal, accountId: account.id };
}

/**
 * The real path to an approved invoice: a lead, a paid Stripe invoice attributed to it (commission 20 %
 * under the default plan), the invoice run, approval.
 */
export async function approvedInvoice(t: Tenant, o: { currency?: string; paid?: number; partner?: Partner } = {}) {
  const currency = o.currency ?? 'eur';
  const partner = o.partner ?? (await onboardedPartner(t, currency));
  const customer = `cus_${randomUUID().replaceAll('-', '').slice(0, 14)}`;
  const email = `${customer}@customer.example`;
  await t.admin.post('/v1/leads', { partnerId: partner.partnerId, email, stripeCustomerId: customer }).expect(201);
  await t.send(builders.invoicePaid({ customer, email, amount: o.paid ?? 10_000, currency })).expect(200);
  await eventually(async () => expect((await t.admin.get(`/v1/commissions?partnerId=${partner.partnerId}`).expect(200)).body.data).toHaveLength(1));
  const run = await t.admin.post('/v1/invoices/generate', { periodEnd: new Date().toISOString().slice(0, 10) }).expect(200);
  const created = (run.body.created as { invoiceId: string; partnerId: string; total: number }[]).find((c) => c.partnerId === partner.partnerId);
  if (!created) throw new Error(`no invoice generated: ${JSON.stringify(run.body)}`);
  await t.admin.post(`/v1/invoices/${created.invoiceId}/approve`).expect(200);
  return { ...partner, invoiceId: created.invoiceId, total: created.total, currency };
}

export const paymentIntentsOf = (stripe: StripeEmulator, invoiceId: string) =>
  stripe.objects('payment_intents').filter((pi) => pi.metadata?.invoiceId === invoiceId);
export const createRequestsOf = (stripe: StripeEmulator, invoiceId: string) =>
  stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.params.metadata?.invoiceId === invoiceId);
