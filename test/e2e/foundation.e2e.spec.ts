import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, api, newCompany, OPERATOR_KEY, type Api } from '../support/app.js';
import type { RunningApp } from '../../src/bootstrap.js';

describe('foundation over HTTP', () => {
  let app: RunningApp;
  let admin: Api;
  let other: Api;
  let companyId: string;

  beforeAll(async () => {
    app = await startTestApp();
    ({
      admin,
      company: { id: companyId },
    } = await newCompany(app, { name: 'Acme', currency: 'usd' }));
    ({ admin: other } = await newCompany(app, { name: 'Other Co' }));
  });
  afterAll(() => app.close());

  it('company → settings → partner → lead lifecycle, with portal view', async () => {
    const company = await admin.get('/v1/company').expect(200);
    expect(company.body).toMatchObject({ id: companyId, name: 'Acme', currency: 'usd', invoiceSchedule: { frequency: 'monthly' } });

    const patched = await admin
      .patch('/v1/company', {
        currency: 'EUR',
        invoiceSchedule: { frequency: 'weekly', day: 5, holdDays: 14, minimumPayout: 5000 },
        commissionPlan: { type: 'percentage', percent: 25 },
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      currency: 'eur',
      invoiceSchedule: { frequency: 'weekly', day: 5, holdDays: 14, minimumPayout: 5000 },
      commissionPlan: { type: 'percentage', percent: 25 },
    });

    const stripe = await admin.put('/v1/company/stripe', { webhookSecret: 'whsec_abc123', apiKey: 'rk_test_abc' }).expect(200);
    expect(stripe.body.stripe).toEqual({ connected: true, apiKeySet: true });
    expect(JSON.stringify(stripe.body)).not.toContain('whsec_abc123');

    const partner = await admin.post('/v1/partners', { name: 'Jane', email: 'jane@partner.example', currency: 'gbp' }).expect(201);
    expect(partner.body).toMatchObject({ name: 'Jane', currency: 'gbp', commissionPlan: null });
    expect(partner.body.referralKey).toMatch(/^ref_/);
    expect(partner.body.partnerApiKey).toMatch(/^pf_partner_/);

    const updated = await admin
      .patch(`/v1/partners/${partner.body.id}`, { commissionPlan: { type: 'flat', amount: 1000, currency: 'gbp', firstPaymentOnly: true } })
      .expect(200);
    expect(updated.body.commissionPlan).toEqual({ type: 'flat', amount: 1000, currency: 'gbp', firstPaymentOnly: true });

    const lead = await admin.post('/v1/leads', { partnerId: partner.body.id, email: 'John@TechStartup.com', name: 'John' }).expect(201);
    expect(lead.body).toMatchObject({ partnerId: partner.body.id, email: 'John@TechStartup.com', stripeCustomerId: null });
    await admin.get(`/v1/leads/${lead.body.id}`).expect(200);
    const byEmail = await admin.get('/v1/leads?email=john@techstartup.com').expect(200);
    expect(byEmail.body.data.map((l: { id: string }) => l.id)).toEqual([lead.body.id]);

    const portal = api(app, partner.body.partnerApiKey);
    const me = await portal.get('/v1/portal/me').expect(200);
    expect(me.body.id).toBe(partner.body.id);
    const myLeads = await portal.get('/v1/portal/leads').expect(200);
    expect(myLeads.body.data).toHaveLength(1);
    await portal.get('/v1/company').expect(403);
    await portal.get('/v1/partners').expect(403);
  });

  it('a customer id can be held by one lead only: 409 problem+json', async () => {
    const p = await admin.post('/v1/partners', { name: 'P', email: 'p@x.com', currency: 'usd' }).expect(201);
    await admin.post('/v1/leads', { partnerId: p.body.id, email: 'a@x.com', stripeCustomerId: 'cus_UNIQUE1' }).expect(201);
    const res = await admin.post('/v1/leads', { partnerId: p.body.id, email: 'b@x.com', stripeCustomerId: 'cus_UNIQUE1' }).expect(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('customer_already_linked');
    const leads = await admin.get(`/v1/leads?partnerId=${p.body.id}`).expect(200);
    expect(leads.body.data).toHaveLength(1);
  });

  it('paginates with a cursor', async () => {
    const { admin: fresh } = await newCompany(app, { name: 'Paged' });
    for (let i = 0; i < 5; i++) await fresh.post('/v1/partners', { name: `P${i}`, email: `p${i}@x.com`, currency: 'usd' }).expect(201);
    const first = await fresh.get('/v1/partners?limit=2').expect(200);
    expect(first.body.data).toHaveLength(2);
    const second = await fresh.get(`/v1/partners?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    const third = await fresh.get(`/v1/partners?limit=2&cursor=${second.body.nextCursor}`).expect(200);
    expect(third.body.nextCursor).toBeNull();
    const names = [...first.body.data, ...second.body.data, ...third.body.data].map((p: { name: string }) => p.name);
    expect(names).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
  });

  it('isolates tenants: another company’s ids answer 404', async () => {
    const p = await admin.post('/v1/partners', { name: 'Mine', email: 'mine@x.com', currency: 'usd' }).expect(201);
    const l = await admin.post('/v1/leads', { partnerId: p.body.id, email: 'lead@x.com' }).expect(201);
    await other.get(`/v1/partners/${p.body.id}`).expect(404);
    await other.patch(`/v1/partners/${p.body.id}`, { name: 'stolen' }).expect(404);
    await other.get(`/v1/leads/${l.body.id}`).expect(404);
    await other.post('/v1/leads', { partnerId: p.body.id, email: 'x@x.com' }).expect(404);
    const list = await other.get('/v1/partners').expect(200);
    expect(list.body.data.map((x: { id: string }) => x.id)).not.toContain(p.body.id);
    expect((await admin.get(`/v1/partners/${p.body.id}`).expect(200)).body.name).toBe('Mine');
  });

  it('authentication: no key 401, wrong key 401, admin key on operator route 403', async () => {
    await api(app).get('/v1/company').expect(401);
    await api(app, 'pf_admin_nope').get('/v1/company').expect(401);
    await admin.post('/v1/companies', { name: 'x' }).expect(403);
    await api(app, OPERATOR_KEY).get('/v1/company').expect(403);
  });

  const malformed: [string, 'post' | 'patch' | 'put', string, object | string][] = [
    ['company without name', 'post', '/v1/companies', {}],
    ['company name not a string', 'post', '/v1/companies', { name: 42 }],
    ['company unknown currency', 'post', '/v1/companies', { name: 'x', currency: 'zzz' }],
    ['company extra field', 'post', '/v1/companies', { name: 'x', hack: true }],
    ['broken JSON', 'post', '/v1/companies', '{"name":'],
    ['settings bad frequency', 'patch', '/v1/company', { invoiceSchedule: { frequency: 'daily', day: 1, holdDays: 1, minimumPayout: 0 } }],
    ['settings negative hold', 'patch', '/v1/company', { invoiceSchedule: { frequency: 'weekly', day: 1, holdDays: -1, minimumPayout: 0 } }],
    ['plan percent > 100', 'patch', '/v1/company', { commissionPlan: { type: 'percentage', percent: 150 } }],
    ['plan float flat amount', 'patch', '/v1/company', { commissionPlan: { type: 'flat', amount: 10.5, currency: 'usd' } }],
    ['plan both limits', 'patch', '/v1/company', { commissionPlan: { type: 'percentage', percent: 10, durationMonths: 3, firstPaymentOnly: true } }],
    ['stripe secret wrong prefix', 'put', '/v1/company/stripe', { webhookSecret: 'sk_live_x' }],
    ['partner bad email', 'post', '/v1/partners', { name: 'x', email: 'nope', currency: 'usd' }],
    ['partner currency too long', 'post', '/v1/partners', { name: 'x', email: 'a@b.co', currency: 'dollars' }],
    ['partner currency unknown', 'post', '/v1/partners', { name: 'x', email: 'a@b.co', currency: 'abc' }],
    ['lead missing partner', 'post', '/v1/leads', { email: 'a@b.co' }],
    ['lead bad customer id', 'post', '/v1/leads', { partnerId: 'pa_x', email: 'a@b.co', stripeCustomerId: 'ch_123' }],
    ['lead body is an array', 'post', '/v1/leads', [1, 2]],
    ['settings name empty', 'patch', '/v1/company', { name: '' }],
  ];

  it.each(malformed)('rejects %s with 4xx problem+json', async (_label, method, path, body) => {
    const key = path === '/v1/companies' ? OPERATOR_KEY : undefined;
    const client = key ? api(app, key) : admin;
    const req = client[method](path, typeof body === 'string' ? undefined : body);
    const res = typeof body === 'string' ? await req.set('content-type', 'application/json').send(body) : await req;
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: res.status, title: expect.any(String) });
  });

  it('refuses NUL characters in paths and bodies as bad input', async () => {
    const path = await admin.get('/v1/partners/%00').expect(400);
    expect(path.body.code).toBe('nul_character');
    const body = await api(app, OPERATOR_KEY).post('/v1/companies').set('content-type', 'application/json').send('{"name":"a\\u0000b"}').expect(400);
    expect(body.headers['content-type']).toContain('application/problem+json');
  });

  it('rejects a bad pagination cursor and limit', async () => {
    expect((await admin.get('/v1/partners?cursor=not-a-cursor').expect(422)).body.errors[0].field).toBe('cursor');
    await admin.get('/v1/partners?limit=500').expect(400);
  });

  it('serves Swagger: /docs-json lists the routes', async () => {
    const doc = await api(app).get('/docs-json').expect(200);
    for (const path of [
      '/v1/companies',
      '/v1/company',
      '/v1/company/stripe',
      '/v1/partners',
      '/v1/partners/{id}',
      '/v1/leads',
      '/v1/leads/{id}',
      '/v1/portal/me',
      '/health',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    await api(app).get('/docs').expect(200);
  });
});
