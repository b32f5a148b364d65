import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, api, newCompany, OPERATOR_KEY, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { alwaysLeader } from '../../libs/event-store/leader-lock.js';
import { createLogger } from '../../libs/logging/logger.js';

type Status = { name: string; kind: string; status: string; position: number; lag: number; checksum: string | null; lastError: string | null };

let app: RunningApp;
let op: Api;
beforeAll(async () => {
  app = await startTestApp();
  op = api(app, OPERATOR_KEY);
});
afterAll(() => app.close());

describe('GET /v1/audit/streams/{type}/{id}', () => {
  let admin: Api;
  let other: Api;
  let companyId: string;
  let partner: { id: string; partnerApiKey: string };
  let leadId: string;

  beforeAll(async () => {
    ({
      admin,
      company: { id: companyId },
    } = await newCompany(app, { name: 'Audited' }));
    ({ admin: other } = await newCompany(app, { name: 'Nosy' }));
    await admin.patch('/v1/company', { currency: 'eur' }).expect(200);
    await admin.put('/v1/company/stripe', { webhookSecret: 'whsec_audit_secret', apiKey: 'rk_test_audit_secret' }).expect(200);
    partner = (await admin.post('/v1/partners', { name: 'Pat', email: 'pat@x.com', currency: 'usd' }).expect(201)).body;
    await admin.patch(`/v1/partners/${partner.id}`, { name: 'Patricia' }).expect(200);
    leadId = (await admin.post('/v1/leads', { partnerId: partner.id, email: 'lee@x.com', stripeCustomerId: 'cus_AUDIT1' }).expect(201)).body.id;
  });

  it("lists a company's events in order, as audit events, without secrets", async () => {
    const res = await admin.get(`/v1/audit/streams/company/${companyId}`).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.data.map((e: { type: string; version: number }) => [e.version, e.type])).toEqual([
      [1, 'CompanyCreated'],
      [2, 'CompanySettingsChanged'],
      [3, 'CompanyStripeConnected'],
    ]);
    const [created, changed, connected] = res.body.data;
    expect(created).toMatchObject({ streamId: `company-${companyId}`, data: { companyId, name: 'Audited', currency: 'usd' } });
    expect(Object.keys(created)).toEqual(expect.arrayContaining(['streamId', 'type', 'version', 'globalPosition', 'occurredAt', 'data']));
    expect(changed.data).toEqual({ companyId, currency: 'eur' });
    expect(connected.data).toEqual({ companyId });
    expect(created.globalPosition).toBeLessThan(changed.globalPosition);
    expect(new Date(created.occurredAt).toISOString()).toBe(created.occurredAt);
    const text = JSON.stringify(res.body);
    for (const leak of ['Encrypted', 'Hash', 'whsec_audit_secret', 'rk_test_audit_secret', 'v1.']) expect(text).not.toContain(leak);
  });

  it("lists a partner's and a lead's events", async () => {
    const p = await admin.get(`/v1/audit/streams/partner/${partner.id}`).expect(200);
    expect(p.body.data.map((e: { type: string }) => e.type)).toEqual(['PartnerCreated', 'PartnerUpdated']);
    expect(p.body.data[0].data).toMatchObject({ partnerId: partner.id, companyId, name: 'Pat' });
    expect(p.body.data[0].data).not.toHaveProperty('apiKeyHash');
    expect(p.body.data[1].data).toMatchObject({ name: 'Patricia' });
    const l = await admin.get(`/v1/audit/streams/lead/${leadId}`).expect(200);
    expect(l.body.data.map((e: { type: string }) => e.type)).toEqual(['LeadCreated', 'LeadCustomerLinked']);
    expect(l.body.data[1].data).toMatchObject({ leadId, customerId: 'cus_AUDIT1' });
  });

  it('pages with a cursor', async () => {
    const first = await admin.get(`/v1/audit/streams/company/${companyId}?limit=2`).expect(200);
    expect(first.body.data).toHaveLength(2);
    const second = await admin.get(`/v1/audit/streams/company/${companyId}?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.data.map((e: { version: number }) => e.version)).toEqual([3]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("answers 404 for another tenant's resources and for unknown ids, of every type", async () => {
    for (const path of [`lead/${leadId}`, `partner/${partner.id}`, `company/${companyId}`]) {
      const res = await other.get(`/v1/audit/streams/${path}`).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    for (const type of ['payment', 'lead', 'partner', 'invoice', 'commission', 'company']) await admin.get(`/v1/audit/streams/${type}/nope_123`).expect(404);
    const past = Buffer.from('99').toString('base64url');
    await other.get(`/v1/audit/streams/lead/${leadId}?cursor=${past}`).expect(404);
  });

  it('rejects an unknown type, a bad cursor and keys of the wrong kind', async () => {
    const res = await admin.get(`/v1/audit/streams/customer/cus_AUDIT1`).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'type' })]);
    expect((await admin.get(`/v1/audit/streams/lead/${leadId}?cursor=not-a-cursor`).expect(422)).body.errors[0].field).toBe('cursor');
    await admin.get(`/v1/audit/streams/lead/${leadId}?limit=0`).expect(400);
    await api(app, partner.partnerApiKey).get(`/v1/audit/streams/lead/${leadId}`).expect(403);
    await op.get(`/v1/audit/streams/lead/${leadId}`).expect(403);
    await api(app).get(`/v1/audit/streams/lead/${leadId}`).expect(401);
  });
});

describe('/v1/admin/projections', () => {
  it('lists every projection with status, position, lag and checksum; operator only', async () => {
    const res = await op.get('/v1/admin/projections').expect(200);
    const byName = new Map<string, Status>(res.body.data.map((s: Status) => [s.name, s]));
    for (const name of ['companies', 'api_keys', 'partners', 'leads']) {
      expect(byName.get(name)).toMatchObject({ kind: 'projection', status: 'running', lastError: null, checksum: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(byName.get(name)!.lag).toBeGreaterThanOrEqual(0);
    }
    const quick = await op.get('/v1/admin/projections?checksum=false').expect(200);
    expect(quick.body.data.every((s: Status) => s.checksum === null)).toBe(true);
    const { admin } = await newCompany(app, { name: 'Not operator' });
    await admin.get('/v1/admin/projections').expect(403);
    await admin.post('/v1/admin/projections/rebuild', {}).expect(403);
    await op.get('/v1/admin/projections?checksum=maybe').expect(400);
  });

  it('rejects an unknown name with 422 and resets nothing; malformed bodies with 400', async () => {
    const before = await op.get('/v1/admin/projections').expect(200);
    const res = await op.post('/v1/admin/projections/rebuild', { names: ['leads', 'no_such_projection'] }).expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors[0]).toMatchObject({ field: 'names', message: expect.stringContaining('no_such_projection') });
    const after = await op.get('/v1/admin/projections').expect(200);
    expect(after.body.data.find((s: Status) => s.name === 'leads')).toMatchObject({
      status: 'running',
      checksum: before.body.data.find((s: Status) => s.name === 'leads').checksum,
    });
    for (const body of [{ names: [] }, { names: 'leads' }, { names: [42] }, { all: true }]) await op.post('/v1/admin/projections/rebuild', body).expect(400);
  });
});

it('documents the audit and projection routes with their schemas', async () => {
  const doc = (await api(app).get('/docs-json').expect(200)).body;
  for (const path of ['/v1/audit/streams/{type}/{id}', '/v1/admin/projections', '/v1/admin/projections/rebuild'])
    expect(Object.keys(doc.paths)).toContain(path);
  for (const schema of ['AuditEventListResponse', 'ProjectionStatusListResponse', 'RebuildProjectionsRequest'])
    expect(Object.keys(doc.components.schemas)).toContain(schema);
});

/**
 * Rebuild equals live: a scenario through the API, then every read model is dropped and replayed.
 * Each module adds its steps (writes) and reads (GET paths whose answers must not change).
 */
describe('rebuild after a scenario', () => {
  type Tenant = { id: string; admin: Api; partners: { id: string; key: string }[]; leads: string[] };
  const tenants: Tenant[] = [];

  const steps: { name: string; run(t: Tenant, i: number): Promise<void> }[] = [
    {
      name: 'company settings and Stripe connection',
      async run(t, i) {
        await t.admin
          .patch('/v1/company', { currency: i ? 'gbp' : 'eur', invoiceSchedule: { frequency: 'weekly', day: 3, holdDays: 14, minimumPayout: 1000 } })
          .expect(200);
        await t.admin.patch('/v1/company', { commissionPlan: { type: 'percentage', percent: 20 + i } }).expect(200);
        await t.admin.put('/v1/company/stripe', { webhookSecret: `whsec_scenario_${i}`, apiKey: 'rk_test_scenario' }).expect(200);
        await t.admin.put('/v1/company/stripe', { webhookSecret: `whsec_rotated_${i}` }).expect(200);
      },
    },
    {
      name: 'partners, some updated',
      async run(t, i) {
        for (let p = 0; p < 4; p++) {
          const res = await t.admin
            .post('/v1/partners', { name: `Partner ${p}`, email: `p${p}.t${i}@partners.example`, currency: p % 2 ? 'usd' : 'eur' })
            .expect(201);
          t.partners.push({ id: res.body.id, key: res.body.partnerApiKey });
        }
        await t.admin.patch(`/v1/partners/${t.partners[1]!.id}`, { commissionPlan: { type: 'flat', amount: 500, currency: 'usd' } }).expect(200);
        await t.admin.patch(`/v1/partners/${t.partners[2]!.id}`, { name: 'Renamed', email: 'renamed@x.example' }).expect(200);
      },
    },
    {
      name: 'leads, some with a Stripe customer',
      async run(t, i) {
        for (let l = 0; l < 6; l++) {
          const body = {
            partnerId: t.partners[l % 3]!.id,
            email: `Lead${l}@Customer.example`,
            ...(l % 2 ? { stripeCustomerId: `cus_T${i}L${l}` } : {}),
            ...(l === 4 ? { name: 'Named' } : {}),
          };
          t.leads.push((await t.admin.post('/v1/leads', body).expect(201)).body.id);
        }
      },
    },
  ];

  const reads = (t: Tenant): { key: Api; path: string }[] => [
    { key: t.admin, path: '/v1/company' },
    { key: t.admin, path: '/v1/partners?limit=200' },
    { key: t.admin, path: '/v1/partners?limit=2' },
    ...t.partners.map((p) => ({ key: t.admin, path: `/v1/partners/${p.id}` })),
    { key: t.admin, path: '/v1/leads?limit=200' },
    { key: t.admin, path: `/v1/leads?partnerId=${t.partners[0]!.id}` },
    { key: t.admin, path: '/v1/leads?email=lead3@customer.example' },
    ...t.leads.map((id) => ({ key: t.admin, path: `/v1/leads/${id}` })),
    ...t.partners.flatMap((p) => [
      { key: api(app, p.key), path: '/v1/portal/me' },
      { key: api(app, p.key), path: '/v1/portal/leads' },
    ]),
  ];

  async function snapshot() {
    const statuses: Status[] = (await op.get('/v1/admin/projections').expect(200)).body.data;
    const checksums = Object.fromEntries(statuses.filter((s) => s.kind === 'projection').map((s) => [s.name, s.checksum]));
    const answers: Record<string, unknown> = {};
    for (const t of tenants) for (const [n, r] of reads(t).entries()) answers[`${t.id} #${n} ${r.path}`] = (await r.key.get(r.path).expect(200)).body;
    return { checksums, answers, statuses };
  }

  async function caughtUp(): Promise<Status[]> {
    return eventually(
      async () => {
        const statuses: Status[] = (await op.get('/v1/admin/projections?checksum=false').expect(200)).body.data;
        expect(statuses.filter((s) => s.kind === 'projection' && s.status !== 'running')).toEqual([]);
        return statuses;
      },
      { timeoutMs: 60_000 },
    );
  }

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const { company, admin } = await newCompany(app, { name: `Scenario ${i}` });
      tenants.push({ id: company.id, admin, partners: [], leads: [] });
    }
    for (const step of steps) for (const [i, t] of tenants.entries()) await step.run(t, i);
  }, 120_000);

  it('gives identical checksums and identical API answers', async () => {
    const live = await snapshot();
    expect(live.statuses.filter((s) => s.kind === 'projection').every((s) => s.status === 'running' && s.lag === 0)).toBe(true);
    expect(Object.keys(live.answers).length).toBeGreaterThan(40);

    const accepted = await op.post('/v1/admin/projections/rebuild', {}).expect(202);
    expect(accepted.body.data.map((s: Status) => s.name).sort()).toEqual(Object.keys(live.checksums).sort());
    await caughtUp();
    const rebuilt = await snapshot();
    expect(rebuilt.checksums).toEqual(live.checksums);
    expect(rebuilt.answers).toEqual(live.answers);
  }, 120_000);

  it('rebuilds named projections only, and each projection one event at a time gives the same tables as in batches', async () => {
    const live = await snapshot();
    const before: Status[] = (await op.get('/v1/admin/projections?checksum=false').expect(200)).body.data;
    await op.post('/v1/admin/projections/rebuild', { names: ['leads'] }).expect(202);
    const after = await caughtUp();
    const positionOf = (list: Status[], name: string) => list.find((s) => s.name === name)!.position;
    expect(positionOf(after, 'partners')).toBe(positionOf(before, 'partners'));

    // the per-event path is the fallback that locates a failing event: it must agree with applyBatch
    await app.runner.stop();
    try {
      const oneByOne = new SubscriptionRunner(app.store, app.orm, alwaysLeader, createLogger('silent'), { batchSize: 7, replayBatchSize: 7 });
      for (const p of app.runner.projections()) oneByOne.addProjection({ name: p.name, tables: p.tables, types: p.types, apply: p.apply.bind(p) });
      await oneByOne.rebuild();
      await oneByOne.start();
      const statuses = await oneByOne.whenRebuilt(undefined, 60_000);
      expect(statuses.filter((s) => s.status !== 'running')).toEqual([]);
      await oneByOne.stop();
    } finally {
      await app.runner.start();
    }
    const replayed = await snapshot();
    expect(replayed.checksums).toEqual(live.checksums);
    expect(replayed.answers).toEqual(live.answers);
  }, 120_000);
});
