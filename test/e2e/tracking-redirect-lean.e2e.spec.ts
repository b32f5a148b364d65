import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { startTestApp, newCompany } from '../support/app.js';
import type { RunningApp } from '../../src/bootstrap.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
/** Headers that differ between any two answers (time, ids) and so are not compared. */
const VARYING = new Set(['date', 'connection', 'keep-alive']);

/**
 * `GET /r/{referralKey}` answers alike whether the lean route (before Express and Nest) or the Nest route serves it:
 * status, headers (security headers, Location, Cache-Control, problem+json with ETag) and body.
 */
describe('referral links: lean route and Nest route answer alike', () => {
  const apps: RunningApp[] = [];
  const keys: { key: string; bare: string }[] = [];

  beforeAll(async () => {
    for (const lean of [true, false]) {
      const app = await startTestApp({ TRUST_PROXY: 'loopback', TRACKING_CLICKS_PER_MINUTE: '2' }, { leanRedirects: lean });
      const { admin } = await newCompany(app, { name: 'Same' });
      await admin.patch('/v1/company', { tracking: { landingUrl: 'https://same.example/in' } }).expect(200);
      const key = (await admin.post('/v1/partners', { name: 'P', email: 'p@partner.example', currency: 'usd' }).expect(201)).body.referralKey;
      const { admin: bareAdmin } = await newCompany(app, { name: 'Bare' });
      const bare = (await bareAdmin.post('/v1/partners', { name: 'B', email: 'b@partner.example', currency: 'usd' }).expect(201)).body.referralKey;
      apps.push(app);
      keys.push({ key, bare });
    }
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  const cases: [string, (k: { key: string; bare: string }) => string, string][] = [
    ['a counted click', (k) => `/r/${k.key}`, '192.0.2.1'],
    ['the same visitor again', (k) => `/r/${k.key}`, '192.0.2.1'],
    ['a `to` on the landing site', (k) => `/r/${k.key}?to=%2Fpricing`, '192.0.2.2'],
    ['a `to` elsewhere', (k) => `/r/${k.key}?to=%2F%2Fevil.example`, '192.0.2.3'],
    ['an unknown key', () => '/r/ref_unknown', '192.0.2.4'],
    ['a company without landing URL', (k) => `/r/${k.bare}`, '192.0.2.5'],
    ['the rate limit', (k) => `/r/${k.key}`, '192.0.2.1'],
  ];

  it.each(cases)('%s', async (_, path, ip) => {
    const answers = [];
    for (const [i, app] of apps.entries()) {
      const res = await request(app.app.getHttpServer()).get(path(keys[i]!)).set('User-Agent', CHROME).set('X-Forwarded-For', ip);
      const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !VARYING.has(name)));
      // Click ids name the visitor's stream of each app's own company: compare their shape.
      // Problems name the path, and so each app's own key: an ETag each, of the same form.
      if (headers.etag) headers.etag = String(headers.etag).replace(/^W\/"[0-9a-f]+-[A-Za-z0-9+/=_-]+"$/, 'W/"<etag>"');
      if (headers.location) headers.location = String(headers.location).replace(/clk_[0-9a-f]{32}_\d+/, 'clk_<id>');
      answers.push({ status: res.status, headers, body: res.text.replace(/ref_[A-Za-z0-9_-]+/g, 'ref_<key>') });
    }
    expect(answers[0]!.status).not.toBe(500);
    expect(answers[1]).toEqual(answers[0]);
  });
});
