import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { builders, signWebhookPayload } from '../stripe-emulator/index.js';
import { OPERATOR_KEY } from '../support/app.js';
import { exampleOf, isWebhook, rolesOf, type Route } from '../support/openapi.js';
import { quiesce } from '../support/quiesce.js';
import { startSeededApp, type SeededApp } from '../support/seeded-app.js';
import { keyOf, type Tenant } from '../support/tenant-data.js';
import type { Sent } from '../support/raw-http.js';
import { is4xx, prober } from './probe.js';

const CONNECT_SECRET = 'whsec_connect_findings';

/**
 * The inputs the fuzzers shrank to, replayed deterministically: each must answer a 4xx problem (or 2xx),
 * never a 5xx. They stay as regression tests once the owning modules are fixed.
 */
describe('inputs the fuzzers found', () => {
  let s: SeededApp;
  let t: Tenant;
  let routes: Route[];

  beforeAll(async () => {
    s = await startSeededApp(['Found'], { STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET });
    t = s.tenants[0]!;
    routes = s.routes;
  }, 60_000);
  afterAll(() => s?.close());

  const keyFor = (r: Route) => keyOf(rolesOf(r)[0]!, t);
  /** Every exchange that is not a well-formed answer below 500 (a 4xx where `expect4xx`), or stored on refusal, described. */
  async function failures(requests: Sent[], expect4xx = true): Promise<string[]> {
    const p = prober(s.app, s.counter.count);
    const out: string[] = [];
    for (const req of requests) {
      await p.probe(req, expect4xx ? is4xx : undefined).catch((e: Error) => out.push(e.message.slice(0, 300)));
    }
    return out;
  }

  it('a NUL character (%00) in any path id → 4xx, not a Postgres encoding error (500)', async () => {
    const requests = routes
      .filter((r) => r.pathParams.length)
      .map((r) => ({
        method: r.method,
        path: r.path.replace(/\{[^}]+\}/g, (m) => (m === '{type}' ? 'partner' : '%00')),
        key: keyFor(r),
        contentType: 'application/json',
        body: r.body ? JSON.stringify(exampleOf(r.body)) : '{}',
      }));
    expect(await failures(requests)).toEqual([]);
  });

  it('a JSON body nested 5,000 deep (40 KB) → 400, not a stack overflow in class-transformer (500)', async () => {
    const deep = `{"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const requests = routes
      .filter((r) => r.body && !isWebhook(r))
      .map((r) => ({ method: r.method, path: r.path.replace(/\{[^}]+\}/g, t.p1.id), key: keyFor(r), contentType: 'application/json', body: deep }));
    expect(await failures(requests)).toEqual([]);
  });

  it('an array where a commission plan object belongs → 400, not a TypeError in the plan mapping (500)', async () => {
    const requests: Sent[] = [
      {
        method: 'post',
        path: '/v1/partners',
        key: t.adminKey,
        contentType: 'application/json',
        body: JSON.stringify({ name: 'A', email: 'a@plan.example', currency: 'usd', commissionPlan: [] }),
      },
      { method: 'patch', path: `/v1/partners/${t.p2.id}`, key: t.adminKey, contentType: 'application/json', body: JSON.stringify({ commissionPlan: [] }) },
      { method: 'patch', path: '/v1/company', key: t.adminKey, contentType: 'application/json', body: JSON.stringify({ commissionPlan: [] }) },
    ];
    expect(await failures(requests)).toEqual([]);
  });

  it('a percent like 3e-323 (no decimal point, far more than 4 decimals) → 400, not an InvalidArgument from the rounding rules (500)', async () => {
    const plan = { type: 'percentage', percent: 3e-323 };
    const requests: Sent[] = [
      { method: 'patch', path: `/v1/partners/${t.p2.id}`, key: t.adminKey, contentType: 'application/json', body: JSON.stringify({ commissionPlan: plan }) },
      { method: 'patch', path: '/v1/company', key: t.adminKey, contentType: 'application/json', body: JSON.stringify({ commissionPlan: plan }) },
    ];
    expect(await failures(requests)).toEqual([]);
  });

  it('a flat commission plan amount of 1e308 (or past Stripe’s 99999999) → 400, not a plan that stops commission_earner for every company', async () => {
    const requests: Sent[] = [1e308, 2 ** 53 - 1, 100_000_000].flatMap((amount) => {
      const plan = { type: 'flat', amount, currency: 'usd' };
      return [
        { method: 'patch' as const, path: '/v1/company', key: t.adminKey, contentType: 'application/json', body: JSON.stringify({ commissionPlan: plan }) },
        {
          method: 'patch' as const,
          path: `/v1/partners/${t.p2.id}`,
          key: t.adminKey,
          contentType: 'application/json',
          body: JSON.stringify({ commissionPlan: plan }),
        },
        {
          method: 'post' as const,
          path: '/v1/partners',
          key: t.adminKey,
          contentType: 'application/json',
          body: JSON.stringify({ name: 'Flat', email: 'flat@plan.example', currency: 'usd', commissionPlan: plan }),
        },
      ];
    });
    expect(await failures(requests)).toEqual([]);
  });

  it('GET /v1/fx-rates?at=0000-01-01 → 4xx, not a timestamp out of range (500)', async () => {
    const requests: Sent[] = ['0000-01-01', '0000-01-01T00:00:00Z', '9999-12-31T23:59:60Z'].map((at) => ({
      method: 'get',
      path: `/v1/fx-rates?from=usd&to=eur&at=${at}`,
      key: t.adminKey,
    }));
    expect(await failures(requests)).toEqual([]);
  });

  it('an email with a lone UTF-16 surrogate → 400, not a URIError from the email validator (500)', async () => {
    const requests: Sent[] = ['\ud800', '\ud800@x.example'].flatMap((email) => [
      {
        method: 'post' as const,
        path: '/v1/partners',
        key: t.adminKey,
        contentType: 'application/json',
        body: JSON.stringify({ name: 'A', email, currency: 'usd' }),
      },
      { method: 'patch' as const, path: `/v1/partners/${t.p2.id}`, key: t.adminKey, contentType: 'application/json', body: JSON.stringify({ email }) },
      { method: 'post' as const, path: '/v1/leads', key: t.adminKey, contentType: 'application/json', body: JSON.stringify({ partnerId: t.p1.id, email }) },
    ]);
    expect(await failures(requests)).toEqual([]);
  });

  it('a lone UTF-16 surrogate in any stored text (names, bank holder) → 400 or stored, not a jsonb encoding error (500)', async () => {
    const text = 'x\ud800y';
    const json = (method: Sent['method'], path: string, key: string, body: object): Sent => ({
      method,
      path,
      key,
      contentType: 'application/json',
      body: JSON.stringify(body),
    });
    const requests: Sent[] = [
      json('post', '/v1/companies', OPERATOR_KEY, { name: text }),
      json('patch', '/v1/company', t.adminKey, { name: text }),
      json('post', '/v1/partners', t.adminKey, { name: text, email: 'lone@surrogate.example', currency: 'usd' }),
      json('post', '/v1/leads', t.adminKey, { partnerId: t.p1.id, email: 'lone@surrogate.example', name: text }),
      json('patch', '/v1/portal/bank-details', t.p2.key, { accountHolder: text, bankName: 'B', country: 'DE' }),
    ];
    expect(await failures(requests, false)).toEqual([]);
  });

  it('invoice generation for a company whose schedule was PATCHed to null → no 500', async () => {
    await t.admin.patch('/v1/company', { invoiceSchedule: null });
    try {
      expect(await failures([{ method: 'post', path: '/v1/invoices/generate', key: t.adminKey, contentType: 'application/json', body: '{}' }], false)).toEqual(
        [],
      );
    } finally {
      await t.admin.patch('/v1/company', { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 } }).expect(200);
    }
  });

  it('a signed Stripe event whose JSON holds \\u0000 or a lone surrogate → stored (2xx) or refused (400), never 500', async () => {
    const requests: Sent[] = ['\\u0000', '\\ud800'].flatMap((bad) => {
      const company = JSON.stringify(builders.invoicePaid({ customer: t.customerId })).replace(
        '"object":"invoice"',
        `"object":"invoice","description":"x${bad}"`,
      );
      const platform = JSON.stringify(builders.accountUpdated({})).replace('"object":"account"', `"object":"account","business_profile_note":"x${bad}"`);
      return [
        {
          method: 'post' as const,
          path: `/v1/webhooks/stripe/${t.companyId}`,
          contentType: 'application/json',
          body: company,
          headers: { 'Stripe-Signature': signWebhookPayload(company, t.webhookSecret) },
        },
        {
          method: 'post' as const,
          path: '/v1/webhooks/stripe-connect',
          contentType: 'application/json',
          body: platform,
          headers: { 'Stripe-Signature': signWebhookPayload(platform, CONNECT_SECRET) },
        },
      ];
    });
    expect(await failures(requests, false)).toEqual([]);
    await quiesce(s.app);
    expect(await s.counter.failed()).toEqual([]);
  });
});
