import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { builders, startStripeEmulator, type StripeEmulator } from '../stripe-emulator/index.js';
import { eventually } from '../support/eventually.js';
import { newCompany, OPERATOR_KEY, startTestApp } from '../support/app.js';
import { readSql } from '../../libs/database/sql.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { IdempotencyStore } from '../../src/idempotency/idempotency-store.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { typedClient } from '../support/typed-client.js';
import * as sdk from '../../clients/typescript/src/index.js';
import { addCard, approvedInvoice, createRequestsOf, onboardedPartner, registerPlatformEndpoints, type Tenant } from './payouts-support.js';

/** Stripe-style Idempotency-Key over HTTP: replay, mismatch, concurrency, scoping, expiry, on the routes clients retry most. */
describe('Idempotency-Key', () => {
  let stripe: StripeEmulator;
  let app: RunningApp;
  let t: Tenant;
  let adminKey: string;

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    app = await startTestApp({ STRIPE_API_BASE: stripe.url, PUBLIC_URL: 'https://partners.example' });
    registerPlatformEndpoints(app, stripe);
    ({ tenant: t, key: adminKey } = await keyedTenant('Idem Co'));
    await addCard(t);
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
  });
  afterEach(() => stripe.clearFaults());

  /** payoutTenant's company (payable at once, Stripe connected), with its admin key in hand. */
  async function keyedTenant(name: string): Promise<{ tenant: Tenant; key: string }> {
    const { admin, company } = await newCompany(app, { name });
    await admin.patch('/v1/company', { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 } }).expect(200);
    await admin.put('/v1/company/stripe', { webhookSecret: `whsec_${company.id}` }).expect(200);
    return { tenant: { app, stripe, admin, companyId: company.id, send: stripeWebhooks(app, company.id, `whsec_${company.id}`) }, key: company.adminApiKey };
  }

  const post = (key: string, path: string, body: object, idempotencyKey?: string) => {
    const req = request(app.app.getHttpServer()).post(path).set('Authorization', `Bearer ${key}`);
    return (idempotencyKey === undefined ? req : req.set('Idempotency-Key', idempotencyKey)).send(body);
  };
  const newKey = () => `idem-${randomUUID()}`;
  const partnerBody = () => ({ name: 'Pat', email: `pat-${randomUUID().slice(0, 8)}@partner.example`, currency: 'eur' });
  const leadBody = async () => ({
    partnerId: (await post(adminKey, '/v1/partners', partnerBody()).expect(201)).body.id as string,
    email: `lead-${randomUUID().slice(0, 8)}@customer.example`,
  });

  /** Payable commissions of a new onboarded partner (20 % of a paid Stripe invoice), ready for an invoice run. */
  async function payablePartner(): Promise<string> {
    const partner = await onboardedPartner(t);
    const customer = `cus_${randomUUID().replaceAll('-', '').slice(0, 14)}`;
    await post(adminKey, '/v1/leads', { partnerId: partner.partnerId, email: `${customer}@customer.example`, stripeCustomerId: customer }).expect(201);
    await t.send(builders.invoicePaid({ customer, email: `${customer}@customer.example`, amount: 10_000, currency: 'eur' })).expect(200);
    await eventually(async () => expect((await t.admin.get(`/v1/commissions?partnerId=${partner.partnerId}`).expect(200)).body.data).toHaveLength(1));
    return partner.partnerId;
  }

  /**
   * The five routes of the issue, each with a request that can be sent again, the same request changed, and how
   * many times its side effect happened.
   */
  interface Case {
    name: string;
    prepare(): Promise<{ path: string; body: object; other: { path: string; body: object }; effects(): Promise<number> }>;
  }
  const cases: Case[] = [
    {
      name: 'POST /v1/partners',
      async prepare() {
        const body = partnerBody();
        return {
          path: '/v1/partners',
          body,
          other: { path: '/v1/partners', body: { ...body, name: 'Someone else' } },
          effects: async () => (await t.admin.get(`/v1/partners?email=${encodeURIComponent(body.email)}`).expect(200)).body.data.length,
        };
      },
    },
    {
      name: 'POST /v1/leads',
      async prepare() {
        const body = await leadBody();
        return {
          path: '/v1/leads',
          body,
          other: { path: '/v1/leads', body: { ...body, name: 'Other' } },
          effects: async () => (await t.admin.get(`/v1/leads?email=${encodeURIComponent(body.email)}`).expect(200)).body.data.length,
        };
      },
    },
    {
      name: 'POST /v1/invoices/generate',
      async prepare() {
        const partnerId = await payablePartner();
        const today = new Date().toISOString().slice(0, 10);
        const invoices = async () => (await t.admin.get(`/v1/invoices?partnerId=${partnerId}`).expect(200)).body.data.length;
        return { path: '/v1/invoices/generate', body: { periodEnd: today }, other: { path: '/v1/invoices/generate', body: {} }, effects: invoices };
      },
    },
    {
      name: 'POST /v1/invoices/{id}/pay',
      async prepare() {
        const inv = await approvedInvoice(t);
        const other = await approvedInvoice(t);
        return {
          path: `/v1/invoices/${inv.invoiceId}/pay`,
          body: {},
          other: { path: `/v1/invoices/${other.invoiceId}/pay`, body: {} },
          effects: async () => createRequestsOf(stripe, inv.invoiceId).length,
        };
      },
    },
    {
      name: 'POST /v1/leads/stripe-customers/bulk',
      async prepare() {
        const lead = (await post(adminKey, '/v1/leads', await leadBody()).expect(201)).body as { id: string; email: string };
        const customer = `cus_${randomUUID().replaceAll('-', '').slice(0, 14)}`;
        const body = { items: [{ leadId: lead.id, customerId: customer }] };
        const linked = async () => ((await t.admin.get(`/v1/leads/${lead.id}`).expect(200)).body.stripeCustomerId === customer ? 1 : 0);
        return {
          path: '/v1/leads/stripe-customers/bulk',
          body,
          other: { path: '/v1/leads/stripe-customers/bulk', body: { items: [{ email: lead.email, customerId: customer }] } },
          effects: linked,
        };
      },
    },
  ];

  describe.each(cases)('$name', (c) => {
    it('replays the first answer for the same key and body, with Idempotent-Replayed: true; runs once', async () => {
      const r = await c.prepare();
      const key = newKey();
      const first = await post(adminKey, r.path, r.body, key);
      expect(first.status).toBeLessThan(300);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await post(adminKey, r.path, r.body, key);
      expect(again.status).toBe(first.status);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
      expect(again.body).toEqual(first.body);
      expect(await r.effects()).toBe(1);
    });

    it('answers 422 problem+json for the same key with another body or route, and runs nothing', async () => {
      const r = await c.prepare();
      const key = newKey();
      await post(adminKey, r.path, r.body, key).expect((res) => expect(res.status).toBeLessThan(300));
      const changed = await post(adminKey, r.other.path, r.other.body, key).expect(422);
      expect(changed.headers['content-type']).toContain('application/problem+json');
      expect(changed.body).toMatchObject({ status: 422, code: 'idempotency_key_reused', errors: [{ field: 'Idempotency-Key' }] });
      const elsewhere = await post(adminKey, '/v1/partners', partnerBody(), key).expect(422);
      expect(elsewhere.body.code).toBe('idempotency_key_reused');
      expect(await r.effects()).toBe(1);
    });

    it('runs concurrent requests with one key once: the others are 409 idempotency_key_in_use or replays', async () => {
      const r = await c.prepare();
      const key = newKey();
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(adminKey, r.path, r.body, key)));
      const fresh = answers.filter((a) => a.status < 300 && a.headers['idempotent-replayed'] === undefined);
      expect(fresh).toHaveLength(1);
      for (const a of answers) {
        if (a.status === 409) expect(a.body).toMatchObject({ code: 'idempotency_key_in_use' });
        else expect({ status: a.status, body: a.body }).toEqual({ status: fresh[0]!.status, body: fresh[0]!.body });
      }
      expect(await r.effects()).toBe(1);
      const after = await post(adminKey, r.path, r.body, key);
      expect({ status: after.status, replayed: after.headers['idempotent-replayed'], body: after.body }).toEqual({
        status: fresh[0]!.status,
        replayed: 'true',
        body: fresh[0]!.body,
      });
    });
  });

  it('through the typed client: Idempotency-Key is a typed header, the replay shows in the answer, another body is a 422 problem', async () => {
    const client = typedClient(app.url, adminKey);
    const headers = { 'Idempotency-Key': newKey() };
    const body = partnerBody();
    const first = await sdk.partnersCreate({ client, body, headers });
    expect(first.response?.status).toBe(201);
    expect(first.response?.headers.get('Idempotent-Replayed')).toBeNull();
    const again = await sdk.partnersCreate({ client, body, headers });
    expect(again.response?.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.data).toEqual(first.data);
    const changed = await sdk.partnersCreate({ client, body: { ...body, name: 'Someone else' }, headers });
    expect(changed.response?.status).toBe(422);
    expect(changed.error).toMatchObject({ code: 'idempotency_key_reused' });

    const leadKey = { 'Idempotency-Key': newKey() };
    const lead = { partnerId: first.data!.id, email: `lead-${randomUUID().slice(0, 8)}@customer.example` };
    const created = await sdk.leadsCreate({ client, body: lead, headers: leadKey });
    const retried = await sdk.leadsCreate({ client, body: lead, headers: leadKey });
    expect(retried.data?.id).toBe(created.data?.id);
    expect((await sdk.leadsList({ client, query: { email: lead.email } })).data?.data).toHaveLength(1);
  });

  it('scopes keys to the caller: two companies sending one key with one body each get their own partner and lead', async () => {
    const other = await newCompany(app, { name: 'Other Co' });
    const key = newKey();
    const body = partnerBody();
    const mine = await post(adminKey, '/v1/partners', body, key).expect(201);
    const theirs = await post(other.company.adminApiKey, '/v1/partners', body, key).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect((await other.admin.get(`/v1/partners?email=${encodeURIComponent(body.email)}`).expect(200)).body.data).toHaveLength(1);

    const leadKey = newKey();
    const email = `lead-${randomUUID().slice(0, 8)}@customer.example`;
    const myLead = await post(adminKey, '/v1/leads', { partnerId: mine.body.id, email }, leadKey).expect(201);
    const theirLead = await post(other.company.adminApiKey, '/v1/leads', { partnerId: theirs.body.id, email }, leadKey).expect(201);
    expect(theirLead.body.id).not.toBe(myLead.body.id);
    // A partner of the company is another caller than its admin: its key space is its own.
    const portalKey = mine.body.partnerApiKey as string;
    const onboarding = await post(portalKey, '/v1/portal/stripe/onboarding-link', {}, leadKey);
    expect(onboarding.status).toBe(201);
    expect(onboarding.headers['idempotent-replayed']).toBeUndefined();
  });

  it('Pay on two companies’ invoices with one key pays both', async () => {
    const { tenant: other, key: theirKey } = await keyedTenant('Other Payer');
    await addCard(other);
    const mine = await approvedInvoice(t);
    const theirs = await approvedInvoice(other);
    const key = newKey();
    expect((await post(adminKey, `/v1/invoices/${mine.invoiceId}/pay`, {}, key).expect(200)).body.status).toBe('paid');
    const paid = await post(theirKey, `/v1/invoices/${theirs.invoiceId}/pay`, {}, key).expect(200);
    expect(paid.headers['idempotent-replayed']).toBeUndefined();
    expect(paid.body.status).toBe('paid');
  });

  it('keeps an answer 24 h: an expired key runs the request again, and the purge deletes it', async () => {
    const key = newKey();
    const body = partnerBody();
    const first = await post(adminKey, '/v1/partners', body, key).expect(201);
    const [row] = await readSql(app.orm).query<{ ttl_hours: number }>(
      "select extract(epoch from expires_at - created_at) / 3600 as ttl_hours from idempotency_keys where scope like 'admin:%' order by created_at desc limit 1",
    );
    expect(Number(row!.ttl_hours)).toBe(24);
    await readSql(app.orm).query(
      "update idempotency_keys set created_at = created_at - interval '24 hours', expires_at = expires_at - interval '24 hours' where scope = $1",
      [`admin:${t.companyId}`],
    );
    const second = await post(adminKey, '/v1/partners', body, key).expect(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.id).not.toBe(first.body.id);

    const expiredBefore = await readSql(app.orm).query('select 1 from idempotency_keys where expires_at <= now()');
    expect(expiredBefore.length).toBeGreaterThan(0);
    expect(await app.app.get(IdempotencyStore).purgeExpired()).toBe(expiredBefore.length);
    expect(await readSql(app.orm).query('select 1 from idempotency_keys where expires_at <= now()')).toHaveLength(0);
    expect((await post(adminKey, '/v1/partners', body, key).expect(201)).headers['idempotent-replayed']).toBe('true');
  });

  it('keeps 4xx outcomes but not refused input or 5xx: a retry after a 503 runs again', async () => {
    const missing = newKey();
    const notFound = await post(adminKey, '/v1/invoices/inv_missing/pay', {}, missing).expect(404);
    const replayed = await post(adminKey, '/v1/invoices/inv_missing/pay', {}, missing).expect(404);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers['content-type']).toContain('application/problem+json');
    expect(replayed.body).toEqual(notFound.body);

    const invalid = newKey();
    await post(adminKey, '/v1/partners', { name: 'No email' }, invalid).expect(400);
    expect((await post(adminKey, '/v1/partners', partnerBody(), invalid).expect(201)).headers['idempotent-replayed']).toBeUndefined();

    const inv = await approvedInvoice(t);
    const key = newKey();
    stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 503, count: 100 });
    expect((await post(adminKey, `/v1/invoices/${inv.invoiceId}/pay`, {}, key).expect(503)).body.code).toBe('stripe_unavailable');
    stripe.clearFaults();
    const retried = await post(adminKey, `/v1/invoices/${inv.invoiceId}/pay`, {}, key);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toMatchObject({ code: 'payment_in_progress' });
  });

  it('a key whose request died with its process is free once its lease runs out; a live lease is 409', async () => {
    const key = newKey();
    const body = partnerBody();
    const first = await post(adminKey, '/v1/partners', body, key).expect(201);
    // As a process that died mid-request leaves it: no answer, a lease (here, still running, then run out).
    await readSql(app.orm).query(
      "update idempotency_keys set status = null, answer_encrypted = null, lease_id = gen_random_uuid(), locked_until = now() + interval '1 minute' where scope = $1 and status is not null",
      [`admin:${t.companyId}`],
    );
    expect((await post(adminKey, '/v1/partners', body, key).expect(409)).body).toMatchObject({ code: 'idempotency_key_in_use' });
    await readSql(app.orm).query("update idempotency_keys set locked_until = now() - interval '1 second' where scope = $1 and status is null", [
      `admin:${t.companyId}`,
    ]);
    const rerun = await post(adminKey, '/v1/partners', body, key).expect(201);
    expect(rerun.headers['idempotent-replayed']).toBeUndefined();
    expect(rerun.body.id).not.toBe(first.body.id);
  });

  it('refuses a key longer than 255 characters or empty (400 naming the header), and leaves public routes and GETs alone', async () => {
    const long = await post(adminKey, '/v1/partners', partnerBody(), 'k'.repeat(256)).expect(400);
    expect(long.body).toMatchObject({ code: 'invalid_idempotency_key', errors: [{ field: 'Idempotency-Key' }] });
    await post(adminKey, '/v1/partners', partnerBody(), 'k'.repeat(255)).expect(201);
    expect((await post(adminKey, '/v1/partners', partnerBody(), '').expect(400)).body.code).toBe('invalid_idempotency_key');

    const key = newKey();
    const event = builders.invoicePaid({ customer: 'cus_public', email: 'public@customer.example', amount: 500, currency: 'eur' });
    await t.send(event).set('Idempotency-Key', key).expect(200);
    const duplicate = await t.send(event).set('Idempotency-Key', key).expect(200);
    expect(duplicate.headers['idempotent-replayed']).toBeUndefined();
    const signIn = () => request(app.app.getHttpServer()).post('/v1/sessions').set('Idempotency-Key', key).send({ apiKey: adminKey });
    await signIn().expect(201);
    expect((await signIn().expect(201)).headers['idempotent-replayed']).toBeUndefined();
    const read = await request(app.app.getHttpServer()).get('/v1/partners').set('Authorization', `Bearer ${adminKey}`).set('Idempotency-Key', key).expect(200);
    expect(read.headers['idempotent-replayed']).toBeUndefined();
    expect((await post(OPERATOR_KEY, '/v1/companies', { name: 'Keyed' }, key).expect(201)).headers['idempotent-replayed']).toBeUndefined();
  });
});
