import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { api, newCompany, OPERATOR_KEY, startTestApp } from '../support/app.js';
import type { RunningApp } from '../../src/bootstrap.js';

/** What every answer carries, failed authentication slowed down, and the inputs that were 500s. */
describe('HTTP hardening', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '5' });
  }, 60_000);
  afterAll(() => app?.close());

  it('security headers on API answers and the docs: nosniff, no framing, a same-origin CSP, HSTS; no X-Powered-By', async () => {
    for (const path of ['/health', '/v1/company', '/docs', '/docs-json']) {
      const res = await api(app, OPERATOR_KEY).get(path);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'strict-transport-security': expect.stringContaining('max-age='),
      });
      expect(res.headers['content-security-policy']).toEqual(expect.stringContaining("frame-ancestors 'none'"));
      expect(res.headers['content-security-policy']).toEqual(expect.stringContaining("script-src 'self'"));
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    // Swagger UI still works under that CSP: its scripts are files of its own origin, none inline
    const docs = (await api(app).get('/docs/').expect(200)).text;
    expect(docs.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
  });

  it('answers that carry a key are not cached', async () => {
    const created = await api(app, OPERATOR_KEY).post('/v1/companies', { name: 'Cached' }).expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const partner = await api(app, created.body.adminApiKey).post('/v1/partners', { name: 'P', email: 'p@cache.example', currency: 'usd' }).expect(201);
    expect(partner.headers['cache-control']).toBe('no-store');
  });

  it('failed authentication is limited per IP: after 5 in a minute, 429 problem+json with Retry-After, valid keys too; public routes still answer', async () => {
    const { company } = await newCompany(app, { name: 'Limited' });
    for (let i = 0; i < 5; i++) await api(app, `pf_admin_guess_${i}`).get('/v1/company').expect(401);
    const refused = await api(app, 'pf_admin_guess_x').get('/v1/company').expect(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ status: 429, code: 'too_many_failed_authentications' });
    await api(app, company.adminApiKey).get('/v1/company').expect(429);
    await api(app).get('/health').expect(200);
  });

  it('the limit can be turned off (AUTH_FAILURES_PER_MINUTE=0)', async () => {
    const open = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '0' });
    try {
      for (let i = 0; i < 40; i++) await api(open, `pf_admin_guess_${i}`).get('/v1/company').expect(401);
    } finally {
      await open.close();
    }
  });

  it('GET /v1/fx-rates?at=0000-01-01 (or year 10000) is a 4xx naming the field, not a 500', async () => {
    const other = await startTestApp();
    try {
      for (const at of ['0000-01-01', '+010000-01-01T00:00:00Z', '1899-12-31']) {
        const res = await api(other, OPERATOR_KEY).get(`/v1/fx-rates?from=usd&to=eur&at=${encodeURIComponent(at)}`);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      const res = await api(other, OPERATOR_KEY).get('/v1/fx-rates?from=usd&to=eur&at=0000-01-01').expect(422);
      expect(res.body.errors).toEqual([{ field: 'at', message: 'at must be between 1900-01-01 and 9999-12-31' }]);
      await api(other, OPERATOR_KEY)
        .put('/v1/fx-rates', { base: 'usd', asOf: '0000-01-01', rates: { eur: 0.9 } })
        .expect((r) => expect(r.status).toBeLessThan(500));
    } finally {
      await other.close();
    }
  });

  it('names of only spaces are refused (400 naming the field), not stored empty', async () => {
    const other = await startTestApp();
    try {
      const op = api(other, OPERATOR_KEY);
      expect((await op.post('/v1/companies', { name: '   ' }).expect(400)).body.errors).toEqual([{ field: 'name', message: 'name must not be blank' }]);
      const { admin, company } = await newCompany(other, { name: 'Blank' });
      await admin.patch('/v1/company', { name: ' \t ' }).expect(400);
      await admin.post('/v1/partners', { name: '  ', email: 'b@blank.example', currency: 'usd' }).expect(400);
      const partner = (await admin.post('/v1/partners', { name: 'Real', email: 'r@blank.example', currency: 'usd' }).expect(201)).body;
      await admin.patch(`/v1/partners/${partner.id}`, { name: '   ' }).expect(400);
      await admin.post('/v1/leads', { partnerId: partner.id, email: 'l@blank.example', name: '  ' }).expect(400);
      await api(other, partner.partnerApiKey)
        .patch('/v1/portal/bank-details', { accountHolder: '  ', bankName: 'B', country: 'DE', iban: 'DE89370400440532013000' })
        .expect(400);
      expect((await admin.get('/v1/company').expect(200)).body.name).toBe('Blank');
      expect(company.id).toMatch(/^co_/);
    } finally {
      await other.close();
    }
  });
});
