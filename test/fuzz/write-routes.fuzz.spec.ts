import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { changesKeys, exampleOf, isWebhook, rolesOf, type Route } from '../support/openapi.js';
import { quiesce } from '../support/quiesce.js';
import { startSeededApp, type SeededApp } from '../support/seeded-app.js';
import { keyOf, tenantPaths, type Tenant } from '../support/tenant-data.js';
import { anyString, bodyFor, DROPPED_KEYS, Entries, invalidBodyFor, junk, toJson, urlString, type Json } from './arbitraries.js';
import type { Answer } from '../support/raw-http.js';
import { findings, is4xx, prober, type Prober } from './probe.js';

/**
 * Every route /docs-json lists, with the key its role needs and the seeded tenant's real ids:
 * random and adversarial input gets 2xx or a 4xx problem+json, never a 5xx, and a refusal stores nothing.
 */
describe('fuzzing the documented routes', () => {
  let s: SeededApp;
  let t: Tenant;
  let routes: Route[];
  let p: Prober;

  beforeAll(async () => {
    s = await startSeededApp(['Fuzz']);
    routes = s.routes;
    t = s.tenants[0]!;
    p = prober(s.app, s.counter.count);
  }, 60_000);
  afterAll(() => s?.close());

  const keyFor = (r: Route) => keyOf(rolesOf(r)[0]!, t);
  // key rotation and deactivation would lock the fuzzer out of the tenant it fuzzes (test/e2e/keys.e2e.spec.ts covers them)
  const writes = () => routes.filter((r) => ['post', 'put', 'patch'].includes(r.method) && !isWebhook(r) && !changesKeys(r));
  const withBody = () => writes().filter((r) => r.body);
  const realPath = (r: Route) => tenantPaths(r, t)[0]!;
  /** Runs per route and time per route from a budget per test, so the file stays near a minute whatever number of routes lands. */
  const runs = (budget: number, n: number) => Math.min(60, Math.max(8, Math.floor(budget / Math.max(n, 1))));
  const time = (budgetMs: number, n: number) => Math.max(500, Math.floor(budgetMs / Math.max(n, 1)));
  const json = (r: Route, body: Json, path = realPath(r)) => ({ method: r.method, path, key: keyFor(r), contentType: 'application/json', body: toJson(body) });
  const is400or422 = (a: Answer) => ([400, 422].includes(a.status) ? undefined : `expected 400/422, got ${a.status}`);

  it('discovers the write routes of SPEC §7', () => {
    expect(writes().map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'POST /v1/companies',
        'PUT /v1/fx-rates',
        'PATCH /v1/company',
        'PUT /v1/company/stripe',
        'POST /v1/partners',
        'PATCH /v1/partners/{id}',
        'POST /v1/leads',
        'PUT /v1/leads/{id}/stripe-customer',
        'POST /v1/leads/stripe-customers/bulk',
      ]),
    );
  });

  it('plausible and junk bodies: 2xx, or a 4xx problem with nothing stored; never 5xx', async () => {
    const out: string[] = [];
    const n = runs(600, writes().length);
    const ms = time(12_000, writes().length);
    for (const r of writes()) {
      const arb = r.body ? fc.oneof({ weight: 3, arbitrary: bodyFor(r.body) }, { weight: 1, arbitrary: junk }) : junk;
      out.push(...(await findings(r.key, arb, async (body) => void (await p.probe(json(r, body))), n, ms)));
    }
    expect(out).toEqual([]);
  }, 120_000);

  it('bodies that break the schema (not an object, unknown key, required missing, wrong type): 400/422, nothing stored', async () => {
    const out: string[] = [];
    const n = runs(300, withBody().length);
    const ms = time(6_000, withBody().length);
    for (const r of withBody()) {
      const valid = exampleOf(r.body) as Record<string, Json>;
      out.push(...(await findings(r.key, invalidBodyFor(r.body!, valid), async ({ body }) => void (await p.probe(json(r, body), is400or422)), n, ms)));
    }
    expect(out).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it('junk ids in the path of every route with one: 4xx problem, nothing stored', async () => {
    const junkId = fc.oneof(
      anyString.filter((s) => s.length > 0 && s.length < 2000).map(urlString),
      fc.constantFrom(
        '%',
        '%00',
        '%ZZ',
        '..',
        '%2e%2e%2f%2e%2e',
        'a%2Fb',
        `pa_${'0'.repeat(32)}`,
        t.customerId,
        'null',
        '0',
        '-1',
        '1e308',
        'x'.repeat(5000),
        "' or ''='",
      ),
    );
    const out: string[] = [];
    const withIds = routes.filter((r) => r.pathParams.length && !isWebhook(r));
    const n = runs(200, withIds.length);
    const ms = time(5_000, withIds.length);
    for (const r of withIds) {
      const body = r.body ? toJson(exampleOf(r.body) as Json) : undefined;
      const path = (id: string) => r.path.replace(/\{[^}]+\}/g, (m) => (m === '{type}' ? 'partner' : id));
      out.push(
        ...(await findings(
          r.key,
          junkId,
          async (id) => void (await p.probe({ method: r.method, path: path(id), key: keyFor(r), contentType: 'application/json', body }, is4xx)),
          n,
          ms,
        )),
      );
    }
    expect(out).toEqual([]);
  }, 120_000);

  it('junk query parameters on every list and read route: 2xx or 4xx problem, never 5xx', async () => {
    const out: string[] = [];
    const reads = routes.filter((r) => r.method === 'get' && r.query.length);
    const n = runs(250, reads.length);
    const ms = time(4_000, reads.length);
    for (const r of reads) {
      const names = r.query.map((q) => q.name);
      // Under 2,000 characters: longer URLs meet Node's header limit (431) before the app.
      const value = fc.oneof(
        anyString.filter((v) => v.length < 2000),
        fc.constantFrom('0', '-1', '201', '1.5', '1e3', 'NaN', ''),
      );
      const param = fc.tuple(fc.constantFrom(...names), value, fc.boolean());
      const query = fc
        .array(param, { minLength: 1, maxLength: 3 })
        .map((ps) => ps.map(([k, v, twice]) => `${k}=${urlString(v)}${twice ? `&${k}=${urlString(v)}` : ''}`).join('&'));
      out.push(...(await findings(r.key, query, async (q) => void (await p.probe({ method: 'get', path: `${realPath(r)}?${q}`, key: keyFor(r) })), n, ms)));
    }
    expect(out).toEqual([]);
  }, 120_000);

  it('bodies that are not JSON, or not sent as JSON: 4xx problem (413 when too large), nothing stored, no prototype pollution', async () => {
    const deepArray = `{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const deepObject = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    // The body parser runs before routing, so broken JSON is refused everywhere; the rest only where a body is documented.
    const ifBody = (a: Answer, r: Route) => (r.body ? is4xx(a) : undefined);
    const ifRequired = (a: Answer, r: Route) => (r.body?.required?.length ? is4xx(a) : undefined);
    const cases: { contentType?: string; body: string | Buffer; expect: (a: Answer, r: Route) => string | undefined }[] = [
      ...['{', '{"a":}', "{'a':1}", 'NaN', '\u0000', '{"a":1}{"b":2}', '{"a":1,}', '"just a string"', '12', 'null', 'true'].map((body) => ({
        contentType: 'application/json',
        body,
        expect: is4xx,
      })),
      {
        contentType: 'application/json',
        body: `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`,
        expect: (a) => (a.status === 413 ? undefined : `expected 413, got ${a.status}`),
      },
      { contentType: 'application/json', body: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), expect: ifBody },
      { contentType: 'application/json', body: deepArray, expect: ifBody },
      { contentType: 'application/json', body: deepObject, expect: ifBody },
      { contentType: 'application/x-www-form-urlencoded', body: 'zz=1&__proto__[polluted]=yes&constructor[prototype][polluted]=yes', expect: ifBody },
      { contentType: 'text/plain', body: '{"zz":1}', expect: ifRequired },
      { contentType: 'application/xml', body: '<zz>1</zz>', expect: ifRequired },
      { contentType: 'multipart/form-data; boundary=zz', body: '--zz\r\nContent-Disposition: form-data; name="zz"\r\n\r\n1\r\n--zz--\r\n', expect: ifRequired },
      { contentType: 'application/json; charset=utf-7', body: '{}', expect: ifRequired },
    ];
    const out: string[] = [];
    for (const r of writes()) {
      for (const c of cases) {
        try {
          await p.probe({ method: r.method, path: realPath(r), key: keyFor(r), contentType: c.contentType, body: c.body }, (a) => c.expect(a, r));
        } catch (e) {
          out.push(`${r.key}: ${(e as Error).message.slice(0, 600)}`);
        }
      }
    }
    expect(out).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  }, 120_000);

  it('__proto__, constructor and other prototype-member keys are dropped or refused, never pollute, never 5xx', async () => {
    const out: string[] = [];
    const payload = new Entries([
      ['polluted', 'yes'],
      ['prototype', new Entries([['polluted', 'yes']])],
    ]);
    for (const r of withBody()) {
      const valid = Object.entries(exampleOf(r.body) as Record<string, Json>);
      try {
        await p.probe(json(r, new Entries([...valid, ...DROPPED_KEYS.map((k): [string, Json] => [k, payload])])));
      } catch (e) {
        out.push(`${r.key}: ${(e as Error).message.slice(0, 600)}`);
      }
    }
    expect(out).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('left every projection and reactor running', async () => {
    await quiesce(s.app);
    expect(await s.counter.failed()).toEqual([]);
  });
});
