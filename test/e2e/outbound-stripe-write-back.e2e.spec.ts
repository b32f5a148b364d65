import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import Stripe from 'stripe';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { startStripeEmulator, builders, type StripeEmulator } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';

describe('Stripe write-back against the emulator', () => {
  let stripe: StripeEmulator;
  let app: RunningApp;
  let sdk: Stripe;

  const company = async (name: string, apiKey: string, writeBack = true) => {
    const { admin, company: c } = await newCompany(app, { name });
    const secret = `whsec_${c.id}`;
    await admin.put('/v1/company/stripe', { webhookSecret: secret, apiKey }).expect(200);
    if (writeBack) expect((await admin.patch('/v1/company', { stripeWriteBack: true }).expect(200)).body.stripeWriteBack).toBe(true);
    const partner = (await admin.post('/v1/partners', { name: 'P', email: `p-${name.toLowerCase()}@partners.test`, currency: 'usd' }).expect(201)).body as {
      id: string;
    };
    return { admin, companyId: c.id, partnerId: partner.id, send: stripeWebhooks(app, c.id, secret) };
  };
  const writeBacks = async (admin: Api) => (await admin.get('/v1/stripe-write-backs').expect(200)).body.data as any[];
  const customerUpdates = (id: string) => stripe.requests.filter((r) => r.method === 'POST' && r.path === `/v1/customers/${id}`);

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    sdk = new Stripe('sk_test_company_setup', { host: '127.0.0.1', port: stripe.port, protocol: 'http' });
    app = await startTestApp({ STRIPE_API_BASE: stripe.url });
  });
  afterAll(async () => {
    await app.close();
    await stripe.close();
  });

  it('is off by default: nothing is written', async () => {
    const c = await company('Quiet', 'rk_test_quiet_000001', false);
    expect((await c.admin.get('/v1/company').expect(200)).body.stripeWriteBack).toBe(false);
    const customer = await sdk.customers.create({ email: 'quiet@buyer.test' });
    await c.admin.post('/v1/leads', { partnerId: c.partnerId, email: 'quiet@buyer.test', stripeCustomerId: customer.id }).expect(201);
    await c.send(builders.invoicePaid({ customer: customer.id, email: 'quiet@buyer.test' })).expect(200);
    await eventually(async () => expect((await c.admin.get(`/v1/payments?customerId=${customer.id}`).expect(200)).body.data).toHaveLength(1));
    await new Promise((ok) => setTimeout(ok, 500));
    expect(customerUpdates(customer.id)).toEqual([]);
    expect(await writeBacks(c.admin)).toEqual([]);
  });

  it('on attribution writes partnerflow_partner_id and partnerflow_lead_id with the company’s key, once, idempotently, through a 429', async () => {
    stripe.restrictKey('rk_test_writer_000002', ['rak_customer_write', 'rak_event_read']);
    const c = await company('Writer', 'rk_test_writer_000002');
    const customer = await sdk.customers.create({ email: 'buyer@writer.test', metadata: { plan: 'pro' } });
    stripe.injectFault({ method: 'POST', pathPrefix: `/v1/customers/${customer.id}`, status: 429, count: 1 });
    const lead = (await c.admin.post('/v1/leads', { partnerId: c.partnerId, email: 'buyer@writer.test' }).expect(201)).body;
    // attributed by email: the customer is linked to the lead and its payment attributed
    await c.send(builders.invoicePaid({ customer: customer.id, email: 'buyer@writer.test' })).expect(200);
    await eventually(async () =>
      expect(await writeBacks(c.admin)).toEqual([
        expect.objectContaining({ customerId: customer.id, leadId: lead.id, partnerId: c.partnerId, status: 'succeeded', lastError: null }),
      ]),
    );
    expect(((await sdk.customers.retrieve(customer.id)) as Stripe.Customer).metadata).toEqual({
      plan: 'pro',
      partnerflow_partner_id: c.partnerId,
      partnerflow_lead_id: lead.id,
    });
    const updates = customerUpdates(customer.id);
    expect(updates.length).toBe(2);
    expect(new Set(updates.map((u) => u.idempotencyKey))).toEqual(new Set([expect.stringMatching(/^pf_wb_[0-9a-f]{32}$/)]));
    expect(updates.every((u) => u.headers.authorization === 'Bearer rk_test_writer_000002')).toBe(true);
    // a second payment of the same customer writes nothing more
    await c.send(builders.invoicePaid({ customer: customer.id, email: 'buyer@writer.test' })).expect(200);
    await eventually(async () => expect((await c.admin.get(`/v1/payments?customerId=${customer.id}`).expect(200)).body.data).toHaveLength(2));
    await new Promise((ok) => setTimeout(ok, 500));
    expect(customerUpdates(customer.id).length).toBe(2);
  });

  it('a key without write access to customers: Stripe’s 403 is recorded as permission_denied with its message, and not retried', async () => {
    stripe.restrictKey('rk_test_reader_000003', ['rak_customer_read', 'rak_event_read']);
    const c = await company('Reader', 'rk_test_reader_000003');
    const customer = await sdk.customers.create({ email: 'buyer@reader.test' });
    const lead = (await c.admin.post('/v1/leads', { partnerId: c.partnerId, email: 'buyer@reader.test' }).expect(201)).body;
    await c.admin.put(`/v1/leads/${lead.id}/stripe-customer`, { customerId: customer.id }).expect(200);
    const [wb] = await eventually(async () => {
      const list = await writeBacks(c.admin);
      expect(list[0]?.status).toBe('permission_denied');
      return list;
    });
    expect(wb).toMatchObject({
      customerId: customer.id,
      attempts: 1,
      lastError: expect.stringContaining("Having the 'rak_customer_write' permission would allow this request to continue."),
    });
    expect((await c.admin.get('/v1/stripe-write-backs?status=permission_denied').expect(200)).body.data).toHaveLength(1);
    expect(((await sdk.customers.retrieve(customer.id)) as Stripe.Customer).metadata).toEqual({});
    expect(customerUpdates(customer.id)).toHaveLength(1);
  });
});
