import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { startTestApp, newCompany, api, type Api } from '../support/app.js';
import { readSql } from '../../libs/database/sql.js';
import type { RunningApp } from '../../src/bootstrap.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const LANDING = 'https://shop.example/welcome?lang=en';

/**
 * Referral links and the tracking endpoints over HTTP (SPEC §10): what is counted, what is refused, and that a
 * refusal stores nothing. The app trusts X-Forwarded-For from loopback, so each test is its own visitor.
 */
describe('referral links and tracking endpoints', () => {
  let app: RunningApp;
  let admin: Api;
  let pk: string;
  let partner: { id: string; referralKey: string };
  let other: { admin: Api; pk: string; partner: { id: string; referralKey: string } };
  let ipSeq = 0;
  const nextIp = () => `203.0.113.${++ipSeq}`;

  const clicksStored = async () =>
    Number((await readSql(app.orm).query<{ n: string }>(`select count(*) as n from es_events where type = 'ClickRecorded'`))[0]!.n);
  const leadsStored = async () => Number((await readSql(app.orm).query<{ n: string }>(`select count(*) as n from es_events where type = 'LeadCreated'`))[0]!.n);
  const click = (key: string, ip: string, o: { to?: string; ua?: string } = {}) =>
    request(app.app.getHttpServer())
      .get(`/r/${key}${o.to === undefined ? '' : `?to=${encodeURIComponent(o.to)}`}`)
      .set('X-Forwarded-For', ip)
      .set('User-Agent', o.ua ?? CHROME);
  const track = (path: string, body: object, o: { origin?: string; ip?: string; ua?: string } = {}) => {
    let r = request(app.app.getHttpServer())
      .post(path)
      .set('X-Forwarded-For', o.ip ?? nextIp())
      .set('User-Agent', o.ua ?? CHROME);
    if (o.origin) r = r.set('Origin', o.origin);
    return r.send(body);
  };

  beforeAll(async () => {
    app = await startTestApp({ TRUST_PROXY: 'loopback', TRACKING_CLICKS_PER_MINUTE: '1000' });
    ({ admin } = await newCompany(app, { name: 'Shop' }));
    const settings = await admin
      .patch('/v1/company', { tracking: { landingUrl: LANDING, allowedOrigins: ['https://shop.example', 'http://localhost:5173'] } })
      .expect(200);
    pk = settings.body.publishableKey;
    partner = (await admin.post('/v1/partners', { name: 'Jane', email: 'jane@partner.example', currency: 'usd' }).expect(201)).body;
    const o = await newCompany(app, { name: 'Other' });
    const oPk = (
      await o.admin.patch('/v1/company', { tracking: { landingUrl: 'https://other.example/', allowedOrigins: ['https://other.example'] } }).expect(200)
    ).body.publishableKey;
    other = {
      admin: o.admin,
      pk: oPk,
      partner: (await o.admin.post('/v1/partners', { name: 'Olga', email: 'olga@partner.example', currency: 'usd' }).expect(201)).body,
    };
  });
  afterAll(() => app.close());

  describe('settings', () => {
    it('shows tracking settings with their defaults and a publishable key', async () => {
      const company = (await admin.get('/v1/company').expect(200)).body;
      expect(company.tracking).toEqual({
        landingUrl: LANDING,
        cookieDays: 60,
        model: 'last_click',
        allowedOrigins: ['https://shop.example', 'http://localhost:5173'],
      });
      expect(company.publishableKey).toMatch(/^pk_[A-Za-z0-9]{24}$/);
    });

    it.each([
      [{ landingUrl: 'ftp://shop.example/' }, 'tracking.landingUrl'],
      [{ landingUrl: 'javascript:alert(1)' }, 'tracking.landingUrl'],
      [{ landingUrl: 'https://user:pw@shop.example/' }, 'tracking.landingUrl'],
      [{ landingUrl: null }, 'tracking.landingUrl'],
      [{ cookieDays: 0 }, 'tracking.cookieDays'],
      [{ cookieDays: 1.5 }, 'tracking.cookieDays'],
      [{ model: 'linear' }, 'tracking.model'],
      [{ allowedOrigins: ['https://shop.example/path'] }, 'tracking.allowedOrigins'],
      [{ allowedOrigins: ['shop.example'] }, 'tracking.allowedOrigins'],
      [{ allowedOrigins: 'https://shop.example' }, 'tracking.allowedOrigins'],
      [{ unknown: 1 }, 'tracking.unknown'],
    ])('refuses tracking %j naming the field', async (tracking, field) => {
      const res = await admin.patch('/v1/company', { tracking }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses the publishable key as a Bearer key everywhere else', async () => {
      for (const path of ['/v1/company', '/v1/partners', '/v1/portal/me', '/v1/reports/partners']) {
        const res = await api(app, pk).get(path).expect(401);
        expect(res.body).toMatchObject({ code: 'publishable_key_not_accepted' });
      }
    });
  });

  describe('GET /r/{referralKey}', () => {
    it('records one click and redirects to the landing URL with pf_ref; the same visitor again gets the same click', async () => {
      const before = await clicksStored();
      const ip = nextIp();
      const first = await click(partner.referralKey, ip).expect(302);
      const location = new URL(first.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/welcome');
      expect(location.searchParams.get('lang')).toBe('en');
      const clickId = location.searchParams.get('pf_ref');
      expect(clickId).toMatch(/^clk_[0-9a-f]{32}_1$/);
      expect(first.headers['cache-control']).toBe('no-store');
      const again = await click(partner.referralKey, ip).expect(302);
      expect(new URL(again.headers.location).searchParams.get('pf_ref')).toBe(clickId);
      expect(await clicksStored()).toBe(before + 1);
      // Another browser on the same address is another visitor.
      const otherBrowser = await click(partner.referralKey, ip, { ua: CHROME.replace('130', '131') }).expect(302);
      expect(new URL(otherBrowser.headers.location).searchParams.get('pf_ref')).not.toBe(clickId);
      expect(await clicksStored()).toBe(before + 2);
    });

    it('lands on `to` when it stays on the landing origin', async () => {
      const res = await click(partner.referralKey, nextIp(), { to: '/pricing?plan=pro#top' }).expect(302);
      const url = new URL(res.headers.location);
      expect(`${url.origin}${url.pathname}`).toBe('https://shop.example/pricing');
      expect(url.searchParams.get('plan')).toBe('pro');
      expect(url.searchParams.get('pf_ref')).toMatch(/^clk_/);
      expect(url.hash).toBe('#top');
      expect(new URL((await click(partner.referralKey, nextIp(), { to: 'https://shop.example/docs' }).expect(302)).headers.location).pathname).toBe('/docs');
    });

    it.each([
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'https://evil.example/',
      'http://shop.example/',
      'javascript:alert(1)',
      '/a\nb',
      '/a b',
      'evil.example',
      '',
    ])('refuses to=%j with 400 and stores nothing', async (to) => {
      const before = await clicksStored();
      const res = await click(partner.referralKey, nextIp(), { to }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'invalid_redirect', errors: [expect.objectContaining({ field: 'to' })] });
      expect(await clicksStored()).toBe(before);
    });

    it('answers 404 problem+json for unknown or malformed keys, storing nothing', async () => {
      const before = await clicksStored();
      const unknown = await click('ref_doesnotexist', nextIp()).expect(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      await request(app.app.getHttpServer()).get('/r/ref%2F..%2Fx').set('User-Agent', CHROME).expect(404);
      await request(app.app.getHttpServer())
        .get(`/r/${'x'.repeat(65)}`)
        .set('User-Agent', CHROME)
        .expect(404);
      expect(await clicksStored()).toBe(before);
    });

    it('redirects bots without counting them', async () => {
      const before = await clicksStored();
      for (const ua of [
        'Googlebot/2.1 (+http://www.google.com/bot.html)',
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36',
        'curl/8.5.0',
        '',
      ]) {
        const res = await click(partner.referralKey, nextIp(), { ua }).expect(302);
        expect(res.headers.location).toBe(LANDING);
      }
      expect(await clicksStored()).toBe(before);
    });

    it('answers 409 while the company has no landing URL', async () => {
      const { admin: bare } = await newCompany(app, { name: 'Bare' });
      const p = (await bare.post('/v1/partners', { name: 'B', email: 'b@partner.example', currency: 'usd' }).expect(201)).body;
      expect((await click(p.referralKey, nextIp()).expect(409)).body.code).toBe('tracking_not_configured');
    });
  });

  describe('POST /v1/track/clicks and /v1/track/leads', () => {
    it('answers a CORS preflight for an allowed origin and refuses a foreign one', async () => {
      const ok = await request(app.app.getHttpServer())
        .options('/v1/track/clicks')
        .set('Origin', 'https://shop.example')
        .set('Access-Control-Request-Method', 'POST')
        .expect(204);
      expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(ok.headers['access-control-allow-methods']).toBe('POST');
      const foreign = await request(app.app.getHttpServer())
        .options('/v1/track/leads')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .expect(403);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      expect(foreign.body.code).toBe('origin_not_allowed');
    });

    it('records a click from an allowed page, counted once with the same visitor’s referral link click', async () => {
      const ip = nextIp();
      const before = await clicksStored();
      const res = await track(
        '/v1/track/clicks',
        { publishableKey: pk, referralKey: partner.referralKey, url: 'https://shop.example/?via=x', referrer: 'https://blog.example/post' },
        { origin: 'https://shop.example', ip },
      ).expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(res.body).toEqual({ clickId: expect.stringMatching(/^clk_/), counted: true, cookieDays: 60, model: 'last_click' });
      const viaLink = await click(partner.referralKey, ip).expect(302);
      expect(new URL(viaLink.headers.location).searchParams.get('pf_ref')).toBe(res.body.clickId);
      expect(await clicksStored()).toBe(before + 1);
    });

    it.each([
      ['a foreign origin', { origin: 'https://evil.example' }, {}, 403],
      ['a malformed publishable key', {}, { publishableKey: 'pk-nope' }, 400],
      ['an unknown publishable key', {}, { publishableKey: 'pk_unknownunknownunknown1' }, 401],
      ['another company’s referral key', {}, { referralKey: 'OTHER' }, 404],
      ['a malformed referral key', {}, { referralKey: 'ref/../x' }, 400],
      ['a non-http url', {}, { url: 'javascript:alert(1)' }, 400],
      ['an oversized url', {}, { url: `https://shop.example/${'a'.repeat(2100)}` }, 400],
      ['a non-http referrer', {}, { referrer: 'data:text/html,x' }, 400],
      ['an unknown field', {}, { extra: 1 }, 400],
    ])('refuses %s and stores nothing', async (_, o, patch, status) => {
      const before = await clicksStored();
      const body = { publishableKey: pk, referralKey: partner.referralKey, ...patch };
      if ((patch as { referralKey?: string }).referralKey === 'OTHER') body.referralKey = other.partner.referralKey;
      const res = await track('/v1/track/clicks', body, o).expect(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await clicksStored()).toBe(before);
    });

    it('creates the lead of the click’s partner once, and refuses unknown clicks and foreign origins', async () => {
      const ip = nextIp();
      const { clickId } = (await track('/v1/track/clicks', { publishableKey: pk, referralKey: partner.referralKey }, { ip }).expect(200)).body;
      const leadsBefore = await leadsStored();
      const foreign = await track('/v1/track/leads', { publishableKey: pk, clickId, email: 'new@visitor.example' }, { origin: 'https://evil.example' }).expect(
        403,
      );
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      expect(await leadsStored()).toBe(leadsBefore);
      const lead = await track(
        '/v1/track/leads',
        { publishableKey: pk, clickId, email: 'New@Visitor.example', name: 'Nia' },
        { origin: 'https://shop.example' },
      ).expect(200);
      expect(lead.body).toEqual({ id: expect.stringMatching(/^ld_/), partnerId: partner.id, email: 'New@Visitor.example', name: 'Nia', created: true });
      const again = await track('/v1/track/leads', { publishableKey: pk, clickId, email: 'new@visitor.example' }).expect(200);
      expect(again.body).toMatchObject({ id: lead.body.id, created: false });
      expect(await leadsStored()).toBe(leadsBefore + 1);
      expect((await admin.get(`/v1/leads/${lead.body.id}`).expect(200)).body).toMatchObject({ partnerId: partner.id, email: 'New@Visitor.example' });
      await track('/v1/track/leads', { publishableKey: pk, clickId: `clk_${'0'.repeat(32)}_1`, email: 'x@visitor.example' }).expect(404);
      await track('/v1/track/leads', { publishableKey: other.pk, clickId, email: 'x@visitor.example' }).expect(404);
      await track('/v1/track/leads', { publishableKey: pk, clickId: 'ld_123', email: 'x@visitor.example' }).expect(400);
      await track('/v1/track/leads', { publishableKey: pk, clickId, email: 'not-an-email' }).expect(400);
      expect(await leadsStored()).toBe(leadsBefore + 1);
    });

    it('a signup with the email of a partner’s existing lead returns that lead', async () => {
      const existing = (await admin.post('/v1/leads', { partnerId: partner.id, email: 'known@visitor.example' }).expect(201)).body;
      const { clickId } = (await track('/v1/track/clicks', { publishableKey: pk, referralKey: partner.referralKey }).expect(200)).body;
      const res = await track('/v1/track/leads', { publishableKey: pk, clickId, email: 'KNOWN@visitor.example' }).expect(200);
      expect(res.body).toMatchObject({ id: existing.id, created: false });
    });
  });
});

describe('tracking rate limit', () => {
  let app: RunningApp;
  let key: string;
  beforeAll(async () => {
    app = await startTestApp({ TRUST_PROXY: 'loopback', TRACKING_CLICKS_PER_MINUTE: '3' });
    const { admin } = await newCompany(app, { name: 'Limited' });
    await admin.patch('/v1/company', { tracking: { landingUrl: 'https://limited.example/' } }).expect(200);
    key = (await admin.post('/v1/partners', { name: 'L', email: 'l@partner.example', currency: 'usd' }).expect(201)).body.referralKey;
  });
  afterAll(() => app.close());

  it('answers 429 with Retry-After to a flooding address while other visitors keep clicking', async () => {
    const flood = (ua: string) => request(app.app.getHttpServer()).get(`/r/${key}`).set('X-Forwarded-For', '198.51.100.7').set('User-Agent', ua);
    for (let i = 0; i < 3; i++) await flood(`${CHROME} ${i}`).expect(302);
    const limited = await flood(`${CHROME} 9`).expect(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    await request(app.app.getHttpServer()).get(`/r/${key}`).set('X-Forwarded-For', '198.51.100.8').set('User-Agent', CHROME).expect(302);
  });
});
