import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { builders } from '../stripe-emulator/index.js';
import { api, newCompany, startTestApp, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import type { RunningApp } from '../../src/bootstrap.js';

const token = () => randomBytes(6).toString('hex');
type Commission = { paymentId: string; amount: number };

/** Keys can be replaced and partners shut out at once; every change is an event in the audit trail. */
describe('API keys: rotation, revocation, partner deactivation', () => {
  let app: RunningApp;
  let companyId: string;
  let admin: Api;
  let adminKey: string;
  let partner: { id: string; key: string };
  let customerId: string;
  let send: ReturnType<typeof stripeWebhooks>;

  beforeAll(async () => {
    app = await startTestApp();
    const made = await newCompany(app, { name: 'Keys' });
    companyId = made.company.id;
    adminKey = made.company.adminApiKey;
    admin = made.admin;
    const secret = `whsec_${token()}`;
    await admin.put('/v1/company/stripe', { webhookSecret: secret }).expect(200);
    send = stripeWebhooks(app, companyId, secret);
    const res = await admin.post('/v1/partners', { name: 'Pat', email: `${token()}@partner.example`, currency: 'usd' }).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    partner = { id: res.body.id, key: res.body.partnerApiKey };
    customerId = `cus_${token()}`;
    await admin.post('/v1/leads', { partnerId: partner.id, email: `${token()}@customer.example`, stripeCustomerId: customerId }).expect(201);
  }, 60_000);
  afterAll(() => app?.close());

  const auditTypes = async (type: string, id: string) =>
    ((await admin.get(`/v1/audit/streams/${type}/${id}`).expect(200)).body.data as { type: string }[]).map((e) => e.type);
  const commissions = async () => (await admin.get(`/v1/commissions?partnerId=${partner.id}`).expect(200)).body.data as Commission[];
  /** Pays and waits until the payment is attributed; answers its id. */
  async function pay(amount: number): Promise<string> {
    const paid = builders.invoicePaid({ customer: customerId, amount });
    await send(paid).expect(200);
    return eventually(
      async () => {
        const p = (
          (await admin.get('/v1/payments?limit=200').expect(200)).body.data as { id: string; stripeObjectId: string; attribution: { status: string } }[]
        ).find((x) => x.stripeObjectId === paid.data.object.id);
        expect(p?.attribution.status).toBe('attributed');
        return p!.id;
      },
      { timeoutMs: 15_000 },
    );
  }

  it('POST /v1/company/api-keys/rotate: a new one-time admin key (no-store); the old one is refused at once; the rotation is in the audit trail', async () => {
    const res = await admin.post('/v1/company/api-keys/rotate').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.adminApiKey).toMatch(/^pf_admin_/);
    await api(app, adminKey).get('/v1/company').expect(401);
    admin = api(app, res.body.adminApiKey);
    await admin.get('/v1/company').expect(200);
    expect(await auditTypes('company', companyId)).toContain('CompanyAdminKeyRotated');
    expect(JSON.stringify((await admin.get(`/v1/audit/streams/company/${companyId}`)).body)).not.toContain(res.body.adminApiKey);
  });

  it('POST /v1/partners/{id}/api-key/rotate: a new one-time partner key; the old one is refused at once', async () => {
    const res = await admin.post(`/v1/partners/${partner.id}/api-key/rotate`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ id: partner.id, active: true, partnerApiKey: expect.stringMatching(/^pf_partner_/) });
    await api(app, partner.key).get('/v1/portal/me').expect(401);
    partner.key = res.body.partnerApiKey;
    await api(app, partner.key).get('/v1/portal/me').expect(200);
    expect(await auditTypes('partner', partner.id)).toContain('PartnerApiKeyRotated');
    await admin.post('/v1/partners/pa_nobody/api-key/rotate').expect(404);
  });

  it('a deactivated partner has no portal access and earns nothing new; its history stays; reactivated, it earns again', async () => {
    const before = await pay(10_000);
    await eventually(async () => expect((await commissions()).map((c) => c.paymentId)).toContain(before));

    expect((await admin.post(`/v1/partners/${partner.id}/deactivate`).expect(200)).body).toMatchObject({ id: partner.id, active: false });
    await admin.post(`/v1/partners/${partner.id}/deactivate`).expect(200);
    await api(app, partner.key).get('/v1/portal/me').expect(401);
    // rotating does not let it back in
    const rotated = (await admin.post(`/v1/partners/${partner.id}/api-key/rotate`).expect(200)).body.partnerApiKey as string;
    await api(app, rotated).get('/v1/portal/commissions').expect(401);
    const during = await pay(20_000);
    await new Promise((ok) => setTimeout(ok, 300));
    const list = await commissions();
    expect(list.map((c) => c.paymentId)).toContain(before);
    expect(list.map((c) => c.paymentId)).not.toContain(during);
    expect((await admin.get(`/v1/partners/${partner.id}`).expect(200)).body.active).toBe(false);

    expect((await admin.post(`/v1/partners/${partner.id}/reactivate`).expect(200)).body.active).toBe(true);
    await api(app, rotated).get('/v1/portal/me').expect(200);
    const after = await pay(30_000);
    await eventually(async () => expect((await commissions()).map((c) => c.paymentId)).toContain(after));
    expect((await commissions()).map((c) => c.paymentId)).not.toContain(during);
    expect(await auditTypes('partner', partner.id)).toEqual(expect.arrayContaining(['PartnerDeactivated', 'PartnerReactivated']));
  });

  it('a replaced webhook secret stops working at once on every instance, not after a cache TTL', async () => {
    const other = await startTestApp({ DATABASE_URL: app.databaseUrl, BACKGROUND_JOBS: 'off' });
    try {
      const oldSecret = `whsec_${token()}`;
      await admin.put('/v1/company/stripe', { webhookSecret: oldSecret }).expect(200);
      const viaOther = (secret: string) => stripeWebhooks(other, companyId, secret);
      // the other instance caches the old secret
      await viaOther(oldSecret)(builders.invoicePaid({ customer: customerId, amount: 100 })).expect(200);
      const newSecret = `whsec_${token()}`;
      await admin.put('/v1/company/stripe', { webhookSecret: newSecret }).expect(200);
      await eventually(
        async () => {
          await viaOther(oldSecret)(builders.invoicePaid({ customer: customerId, amount: 100 })).expect(400);
        },
        { timeoutMs: 2_000 },
      );
      await viaOther(newSecret)(builders.invoicePaid({ customer: customerId, amount: 100 })).expect(200);
    } finally {
      await other.close();
    }
  });
});
