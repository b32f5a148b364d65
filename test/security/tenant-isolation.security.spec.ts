import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { builders } from '../stripe-emulator/index.js';
import { OPERATOR_KEY } from '../support/app.js';
import { changesKeys, exampleOf, isWebhook, requiredQuery, rolesOf, type Route } from '../support/openapi.js';
import { quiesce } from '../support/quiesce.js';
import { startSeededApp, type SeededApp } from '../support/seeded-app.js';
import { keyOf, tenantPaths, type Tenant } from '../support/tenant-data.js';
import { send, type Answer, type Sent } from '../support/raw-http.js';

/**
 * Two companies with one of everything. For every route /docs-json lists: keys of the wrong kind are
 * refused, another company's ids are 404, and no answer names anything of the other company.
 */
describe('tenant isolation and roles over every documented route', () => {
  let s: SeededApp;
  let a: Tenant;
  let b: Tenant;
  let routes: Route[];

  beforeAll(async () => {
    // hundreds of bad keys from one address on purpose: the failed-authentication limit has its own test
    s = await startSeededApp(['Alpha', 'Beta'], { AUTH_FAILURES_PER_MINUTE: '0' });
    [a, b] = s.tenants as [Tenant, Tenant];
    routes = s.routes;
  }, 90_000);
  afterAll(() => s?.close());

  const guarded = () => routes.filter((r) => !rolesOf(r).includes('public'));
  const request = (r: Route, path: string, key?: string, authorization?: string): Sent => ({
    method: r.method,
    path: `${path}${requiredQuery(r)}`,
    key,
    contentType: 'application/json',
    body: ['post', 'put', 'patch'].includes(r.method) ? JSON.stringify(r.body ? exampleOf(r.body) : {}) : undefined,
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  const line = (s: Sent, x: Answer) => `${s.method.toUpperCase()} ${s.path} → ${x.status} ${x.text.slice(0, 160)}`;
  const isProblem = (x: Answer, status: number) => x.status === status && x.contentType.includes('application/problem+json') && x.json?.status === status;

  /** Sends each request, collecting those whose answer `bad` describes, and checks a refusal stored nothing. */
  async function violations(requests: Sent[], bad: (x: Answer, s: Sent) => string | undefined): Promise<string[]> {
    const out: string[] = [];
    for (const req of requests) {
      const before = await s.counter.count();
      const x = await send(s.app, req);
      const why = bad(x, req);
      if (why) out.push(`${why}: ${line(req, x)}`);
      if (x.status >= 400 && (await s.counter.count()) !== before) out.push(`refused but stored events: ${line(req, x)}`);
      if (x.status < 400) await quiesce(s.app);
    }
    return out;
  }

  it('discovers the routes of SPEC §7 and marks exactly health, docs and webhooks as needing no key', () => {
    expect(routes.map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'GET /v1/partners/{id}',
        'GET /v1/leads/{id}',
        'GET /v1/payments/{id}',
        'GET /v1/invoices/{id}',
        'POST /v1/invoices/{id}/approve',
        'GET /v1/portal/me',
      ]),
    );
    expect(routes.filter((r) => r.secured === rolesOf(r).includes('public')).map((r) => r.key)).toEqual([]);
  });

  it('no key, an unknown key or a malformed Authorization header → 401 problem on every guarded route', async () => {
    const headers = [
      undefined,
      'Bearer pf_admin_not_a_key',
      `Bearer ${a.adminKey}x`,
      `Basic ${Buffer.from(`x:${a.adminKey}`).toString('base64')}`,
      'Bearer',
      `Bearer ${a.adminKey} ${a.adminKey}`,
      `Token ${OPERATOR_KEY}`,
      `Bearer ${OPERATOR_KEY.slice(0, -1)}`,
    ];
    const requests = guarded().flatMap((r) => headers.map((h) => request(r, tenantPaths(r, a)[0]!, undefined, h)));
    expect(await violations(requests, (x) => (isProblem(x, 401) ? undefined : 'expected 401 problem'))).toEqual([]);
  });

  it('public routes answer without a key: /health, /docs-json; webhooks check their signature instead', async () => {
    expect((await send(s.app, { method: 'get', path: '/health' })).status).toBe(200);
    expect((await send(s.app, { method: 'get', path: '/docs-json' })).status).toBe(200);
    for (const r of routes.filter(isWebhook)) {
      const x = await send(s.app, { method: 'post', path: tenantPaths(r, a)[0]!, contentType: 'application/json', body: '{}' });
      expect({ route: r.key, status: x.status }).toEqual({ route: r.key, status: 400 });
    }
  });

  it('a key of the wrong kind → 403 on every guarded route (partner on admin routes, admin on operator routes…); the right kind gets past the guard', async () => {
    // Paths hold ids that exist nowhere, so the allowed calls change nothing: they answer 404/400/2xx, never 401/403.
    const requests = guarded().flatMap((r) =>
      (['operator', 'admin', 'partner'] as const).map((role) => ({
        role,
        route: r,
        allowed: rolesOf(r).includes(role),
        req: request(
          r,
          r.path.replace(/\{([^}]+)\}/g, (_, n: string) => (n === 'type' ? 'partner' : 'pf_no_such_id')),
          keyOf(role, a),
        ),
      })),
    );
    const out: string[] = [];
    // the right kind on a key-changing route would replace the very keys this test goes on using
    for (const { role, allowed, req } of requests.filter((x) => !(x.allowed && changesKeys(x.route)))) {
      out.push(
        ...(await violations([req], (x) =>
          allowed ? ([401, 403].includes(x.status) ? `${role} key refused` : undefined) : isProblem(x, 403) ? undefined : `${role} key: expected 403 problem`,
        )),
      );
    }
    expect(out).toEqual([]);
  });

  it("another company's id in the path → 404 problem on every route with one, and nothing changes", async () => {
    // `{file}` (GET /v1/exports/{file}) names an export, not a resource of one company
    const withIds = routes.filter(
      (r) => r.pathParams.some((p) => p !== 'file') && !isWebhook(r) && !rolesOf(r).includes('public') && !rolesOf(r).includes('operator'),
    );
    const requests = withIds.flatMap((r) => tenantPaths(r, b).map((path) => request(r, path, keyOf(rolesOf(r)[0]!, a))));
    expect(requests.length).toBeGreaterThan(10);
    expect(await violations(requests, (x) => (isProblem(x, 404) ? undefined : 'expected 404 problem'))).toEqual([]);
    // The ids are real: their owner reads them.
    const reads = withIds.filter((r) => r.method === 'get').flatMap((r) => tenantPaths(r, b).map((path) => request(r, path, keyOf(rolesOf(r)[0]!, b))));
    expect(await violations(reads, (x) => (x.status === 200 ? undefined : 'owner could not read'))).toEqual([]);
  });

  it("no readable route names the other company's ids, emails or customers, even when filtered by them; portal answers name no other partner", async () => {
    const reads = guarded().filter((r) => r.method === 'get' && !rolesOf(r).includes('operator'));
    const requests: { req: Sent; foreign: string[] }[] = [];
    for (const r of reads) {
      const role = rolesOf(r)[0]!;
      const foreign =
        role === 'partner'
          ? [...b.fingerprints, a.p2.id, a.p2.email, a.p2.leadId, a.p2.leadEmail, a.p2.paymentId, a.p2.commissionId, a.p2.invoiceId]
          : b.fingerprints;
      for (const path of tenantPaths(r, a)) {
        requests.push({ req: request(r, path, keyOf(role, a)), foreign });
        for (const q of r.query.filter((q) => /Id$|^email$/.test(q.name))) {
          const value = { partnerId: b.p1.id, leadId: b.p1.leadId, customerId: b.customerId, email: b.p1.leadEmail }[q.name] ?? b.p1.id;
          const req = request(r, path, keyOf(role, a));
          requests.push({ req: { ...req, path: `${req.path}${req.path.includes('?') ? '&' : '?'}${q.name}=${encodeURIComponent(value)}` }, foreign });
        }
      }
    }
    const out: string[] = [];
    for (const { req, foreign } of requests) {
      out.push(
        ...(await violations([req], (x) => {
          if (x.status >= 500) return 'server error';
          const leaked = foreign.filter((f) => x.text.includes(f));
          return leaked.length ? `names ${leaked.join(', ')}` : undefined;
        })),
      );
    }
    expect(out).toEqual([]);
  });

  it('lists show the caller its own data (the leak check above reads real answers)', async () => {
    const ids = async (path: string, key: string) => JSON.stringify((await send(s.app, { method: 'get', path, key })).json);
    for (const path of ['/v1/partners', '/v1/leads', '/v1/payments', '/v1/commissions', '/v1/invoices']) expect(await ids(path, a.adminKey)).toContain(a.p1.id);
    expect(await ids('/v1/portal/leads', a.p1.key)).toContain(a.p1.leadId);
    expect(await ids('/v1/portal/commissions', a.p1.key)).toContain(a.p1.commissionId);
    expect(await ids('/v1/portal/invoices', a.p1.key)).toContain(a.p1.invoiceId);
  });

  it("a company's webhook refuses an event signed with another company's secret: 400, nothing stored", async () => {
    const before = await s.counter.count();
    await a.send(builders.invoicePaid({ customer: a.customerId }), { secret: b.webhookSecret }).expect(400);
    await b.send(builders.invoicePaid({ customer: b.customerId }), { companyId: a.companyId }).expect(400);
    expect(await s.counter.count()).toBe(before);
  });
});
