import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import * as api from '../../../clients/typescript/src/index.js';
import { builders } from '../../stripe-emulator/index.js';
import { stripeWebhooks } from '../../support/stripe-webhooks.js';
import { eventually } from '../../support/eventually.js';
import { ok, typedClient } from '../../support/typed-client.js';
import type { ConsoleApp } from './console-app.js';

const short = () => randomUUID().replaceAll('-', '').slice(0, 12);
export const today = () => new Date().toISOString().slice(0, 10);

/** A company set up through the typed client: schedule with no hold, its Stripe webhook connected. */
export async function seedCompany(ca: ConsoleApp, name: string) {
  const created = await ok(api.createCompany({ client: ca.operator, body: { name } }));
  const client = typedClient(ca.url, created.adminApiKey);
  await ok(api.companySettingsUpdate({ client, body: { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 } } }));
  const secret = `whsec_${created.id}`;
  await ok(api.connectStripe({ client, body: { webhookSecret: secret } }));
  const send = stripeWebhooks(ca.app, created.id, secret);
  return { companyId: created.id, adminKey: created.adminApiKey, client, send };
}
export type SeededCompany = Awaited<ReturnType<typeof seedCompany>>;

export async function seedPartner(co: SeededCompany, o: { name?: string; currency?: string } = {}) {
  const p = await ok(
    api.partnersCreate({ client: co.client, body: { name: o.name ?? 'Pat Partner', email: `pat-${short()}@partner.example`, currency: o.currency ?? 'usd' } }),
  );
  return { ...p, portal: (url: string) => typedClient(url, p.partnerApiKey) };
}

/** Stripe reports a paid invoice for `customer`: the company's webhook, signed. */
export async function stripeInvoicePaid(co: SeededCompany, o: { customer: string; email: string; amount: number; currency?: string }) {
  const res = await co.send(builders.invoicePaid({ customer: o.customer, email: o.email, amount: o.amount, currency: o.currency ?? 'usd' }));
  expect(res.status).toBe(200);
}

/** A lead with a customer id and a paid Stripe invoice attributed to it, its commission recorded. */
export async function attributedPayment(co: SeededCompany, partnerId: string, amount = 10_000, currency = 'usd') {
  const customer = `cus_${short()}`;
  const email = `${customer}@customer.example`;
  const lead = await ok(api.leadsCreate({ client: co.client, body: { partnerId, email, stripeCustomerId: customer } }));
  await stripeInvoicePaid(co, { customer, email, amount, currency });
  await eventually(async () =>
    expect((await ok(api.commissionsList({ client: co.client, query: { partnerId } }))).data.some((c) => c.leadId === lead.id)).toBe(true),
  );
  return { lead, customer };
}

/** An unattributed payment: the customer paid with another address than the lead's (same domain). */
export async function mismatchedPayment(co: SeededCompany, partnerId: string, amount = 4_900) {
  const local = short();
  const lead = await ok(api.leadsCreate({ client: co.client, body: { partnerId, email: `${local}@acme-customer.example`, name: 'Jane Doe' } }));
  const customer = `cus_${short()}`;
  await stripeInvoicePaid(co, { customer, email: `${local}.billing@acme-customer.example`, amount });
  const payment = await eventually(async () => {
    const page = await ok(api.paymentsList({ client: co.client, query: { customerId: customer } }));
    expect(page.data[0]?.attribution.status).toBe('unattributed');
    return page.data[0]!;
  });
  return { lead, customer, payment };
}

/** Commissions invoiced for today's period: the run through the API, as the scheduler would. */
export async function generateInvoice(co: SeededCompany, partnerId: string) {
  const run = await ok(api.generateInvoices({ client: co.client, body: { periodEnd: today() } }));
  const created = run.created.find((c) => c.partnerId === partnerId);
  if (!created) throw new Error(`no invoice for ${partnerId}: ${JSON.stringify(run)}`);
  return created;
}

/** The company's card through a SetupIntent the emulator confirms; Stripe's webhook (forwarded) saves it. */
export async function addCardByApi(ca: ConsoleApp, co: SeededCompany, token = 'pm_card_visa') {
  const { clientSecret } = await ok(api.setupIntentCreate({ client: co.client }));
  ca.stripe.succeedSetupIntent(clientSecret.split('_secret_')[0]!, token);
  return eventually(async () => ok(api.paymentMethodGet({ client: co.client })));
}
