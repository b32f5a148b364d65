import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import pg from 'pg';
import * as client from '../../clients/typescript/src/index.js';
import { api, newCompany, OPERATOR_KEY, startTestApp, type Api } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { ok, typedClient } from '../support/typed-client.js';
import type { RunningApp } from '../../src/bootstrap.js';

const PUBLIC_URL = 'https://partners.example';

/** Console sessions over HTTP: the cookie, the Origin rule for cookie writes, login links, sign-out. */
describe('sessions and login links', () => {
  let app: RunningApp;
  let db: pg.Client;
  let admin: Api;
  let adminKey: string;
  let companyId: string;
  let partner: { id: string; partnerApiKey: string };
  const http = () => request(app.app.getHttpServer());

  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_URL });
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    const co = await newCompany(app, { name: 'Acme' });
    ({ admin } = co);
    adminKey = co.company.adminApiKey;
    companyId = co.company.id;
    partner = (await admin.post('/v1/partners', { name: 'Pat', email: 'pat@partner.example', currency: 'usd' }).expect(201)).body;
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  const cookieOf = (res: request.Response) => {
    const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('pf_session='));
    if (!header) throw new Error(`no session cookie: ${JSON.stringify(res.headers)}`);
    return { header, cookie: header.split(';')[0]! };
  };
  const signIn = (body: object, origin: string | null = PUBLIC_URL) => {
    let req = http().post('/v1/sessions');
    if (origin) req = req.set('Origin', origin);
    return req.send(body);
  };

  it('an admin key opens a session: HttpOnly, SameSite=Strict, Secure (https PUBLIC_URL) cookie; the token is stored only hashed', async () => {
    const res = await signIn({ apiKey: adminKey }).expect(201);
    expect(res.body).toEqual({ role: 'admin', companyId });
    const { header, cookie } = cookieOf(res);
    expect(header).toMatch(/; Path=\//);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Strict/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; Max-Age=604800/);
    const token = cookie.split('=')[1]!;
    const stored = await db.query('select token_hash, key_hash from sessions');
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    expect((await http().get('/v1/sessions/current').set('Cookie', cookie).expect(200)).body).toEqual({ role: 'admin', companyId });
    expect((await http().get('/v1/company').set('Cookie', cookie).expect(200)).body.id).toBe(companyId);
  });

  it('a partner key opens a partner session that reaches the portal and not the admin API', async () => {
    const res = await signIn({ apiKey: partner.partnerApiKey }).expect(201);
    expect(res.body).toEqual({ role: 'partner', companyId, partnerId: partner.id });
    const { cookie } = cookieOf(res);
    expect((await http().get('/v1/portal/me').set('Cookie', cookie).expect(200)).body.id).toBe(partner.id);
    expect((await http().get('/v1/partners').set('Cookie', cookie).expect(403)).body.code).toBe('forbidden');
  });

  it.each([
    ['no credentials', {}, 400, 'apiKey'],
    ['both', { apiKey: 'pf_admin_x', loginToken: 'y' }, 400, 'loginToken'],
    ['an unknown key', { apiKey: 'pf_admin_unknown' }, 401, 'apiKey'],
    ['a non-string key', { apiKey: 42 }, 400, 'apiKey'],
    ['a null key', { apiKey: null }, 400, 'apiKey'],
    ['a null token beside a key', { apiKey: 'pf_admin_x', loginToken: null }, 400, 'loginToken'],
  ])('refuses %s with a problem naming the field, and sets no cookie', async (_label, body, status, field) => {
    const res = await signIn(body).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('the operator key is for the API only: 403, no session', async () => {
    const res = await signIn({ apiKey: OPERATOR_KEY }).expect(403);
    expect(res.body.code).toBe('operator_key_not_for_console');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('a sign-in from another site is refused (login CSRF); API clients without Origin are not', async () => {
    expect((await signIn({ apiKey: adminKey }, 'https://evil.example').expect(403)).body.code).toBe('foreign_origin');
    await signIn({ apiKey: adminKey }, null).expect(201);
  });

  describe('writes signed in by the cookie', () => {
    let cookie: string;
    beforeAll(async () => {
      ({ cookie } = cookieOf(await signIn({ apiKey: adminKey }).expect(201)));
    });
    const write = (origin?: string, host?: string) => {
      let req = http().post(`/v1/partners/${partner.id}/login-link`).set('Cookie', cookie);
      if (origin) req = req.set('Origin', origin);
      if (host) req = req.set('Host', host);
      return req;
    };

    it('pass from the app’s own origin (PUBLIC_URL), and from the origin of the host the request was sent to', async () => {
      await write(PUBLIC_URL).expect(201);
      await write('http://console.internal:8080', 'console.internal:8080').expect(201);
    });

    it.each([
      ['another site', 'https://evil.example'],
      ['another port of the same host', 'https://partners.example:8443'],
      ['http instead of https', 'http://partners.example'],
      ['a sandboxed page (null)', 'null'],
      ['no Origin at all', undefined],
    ])('are refused from %s: 403 problem+json, nothing changes', async (_label, origin) => {
      const before = (await admin.get(`/v1/audit/streams/partner/${partner.id}`).expect(200)).body.data.length;
      const res = await write(origin).expect(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('foreign_origin');
      for (const [method, path] of [
        ['patch', '/v1/company'],
        ['put', '/v1/company/stripe'],
      ] as const) {
        let req = http()[method](path).set('Cookie', cookie);
        if (origin) req = req.set('Origin', origin);
        expect((await req.send({ name: 'Hacked', webhookSecret: 'whsec_evil' })).status).toBe(403);
      }
      // another site cannot sign the user out either (an API client, with no Origin, may)
      if (origin) expect((await http().delete('/v1/sessions/current').set('Cookie', cookie).set('Origin', origin)).status).toBe(403);
      expect((await admin.get(`/v1/audit/streams/partner/${partner.id}`).expect(200)).body.data.length).toBe(before);
      expect((await admin.get('/v1/company').expect(200)).body.name).toBe('Acme');
      // reads with the cookie are fine from anywhere (SameSite=Strict keeps other sites from sending it)
      await http().get('/v1/company').set('Cookie', cookie).set('Origin', 'https://evil.example').expect(200);
    });

    it('Bearer keys are unaffected by Origin', async () => {
      await http().post(`/v1/partners/${partner.id}/login-link`).set('Authorization', `Bearer ${adminKey}`).set('Origin', 'https://evil.example').expect(201);
    });
  });

  it('sign-out deletes the session and clears the cookie; the old token no longer works; signing out twice is fine', async () => {
    const { cookie } = cookieOf(await signIn({ apiKey: adminKey }).expect(201));
    const out = await http().delete('/v1/sessions/current').set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(204);
    expect(([] as string[]).concat(out.headers['set-cookie'] ?? []).join()).toMatch(/pf_session=;.*Expires=Thu, 01 Jan 1970/);
    await http().get('/v1/sessions/current').set('Cookie', cookie).expect(401);
    await http().delete('/v1/sessions/current').set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(204);
  });

  it('a session ends when it expires', async () => {
    const cookie = cookieOf(await signIn({ apiKey: partner.partnerApiKey }).expect(201)).cookie;
    await http().get('/v1/portal/me').set('Cookie', cookie).expect(200);
    await db.query(`update sessions set expires_at = now() - interval '1 second'`);
    await http().get('/v1/portal/me').set('Cookie', cookie).expect(401);
  });

  it('a partner’s sessions end when the partner is deactivated (and no login link is made for them); the admin’s when the admin key is rotated', async () => {
    const other = (await admin.post('/v1/partners', { name: 'Dee', email: 'dee@partner.example', currency: 'usd' }).expect(201)).body;
    const byKey = cookieOf(await signIn({ apiKey: other.partnerApiKey }).expect(201)).cookie;
    const link = (await admin.post(`/v1/partners/${other.id}/login-link`).expect(201)).body;
    const byLink = cookieOf(await signIn({ loginToken: new URL(link.url).searchParams.get('token') }).expect(201)).cookie;
    for (const c of [byKey, byLink]) await http().get('/v1/portal/me').set('Cookie', c).expect(200);
    await admin.post(`/v1/partners/${other.id}/deactivate`).expect(200);
    for (const c of [byKey, byLink]) await http().get('/v1/portal/me').set('Cookie', c).expect(401);
    expect((await admin.post(`/v1/partners/${other.id}/login-link`).expect(409)).body.code).toBe('partner_deactivated');

    const otherCo = await newCompany(app, { name: 'Rotating' });
    const adminCookie = cookieOf(await signIn({ apiKey: otherCo.company.adminApiKey }).expect(201)).cookie;
    await http().get('/v1/company').set('Cookie', adminCookie).expect(200);
    const rotated = (await otherCo.admin.post('/v1/company/api-keys/rotate').expect(200)).body.adminApiKey;
    await http().get('/v1/company').set('Cookie', adminCookie).expect(401);
    await signIn({ apiKey: rotated }).expect(201);
  });

  describe('partner login links (through the typed client)', () => {
    it('admin makes a one-time link valid 24 h at PUBLIC_URL/portal/login; it signs the partner in once; the history records it without the token', async () => {
      const adminClient = typedClient(app.url, adminKey);
      const before = Date.now();
      const link = await ok(client.loginLinkCreate({ client: adminClient, path: { id: partner.id } }));
      expect(link.url).toMatch(/^https:\/\/partners\.example\/portal\/login\?token=[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(link.expiresAt)).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1000);
      expect(Date.parse(link.expiresAt)).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);
      const token = new URL(link.url).searchParams.get('token')!;

      const events = await ok(client.streamHistoryList({ client: adminClient, path: { type: 'partner', id: partner.id } }));
      const issued = events.data.filter((e) => e.type === 'PartnerLoginLinkIssued').pop()!;
      expect(issued.data).toMatchObject({ companyId, partnerId: partner.id, linkId: expect.stringMatching(/^ll_/), expiresAt: link.expiresAt });
      expect(JSON.stringify(events)).not.toContain(token);

      const first = await signIn({ loginToken: token }).expect(201);
      expect(first.body).toEqual({ role: 'partner', companyId, partnerId: partner.id });
      await http().get('/v1/portal/me').set('Cookie', cookieOf(first).cookie).expect(200);
      const again = await signIn({ loginToken: token }).expect(401);
      expect(again.body.code).toBe('invalid_login_link');
    });

    it('two redemptions of one link at once: exactly one session', async () => {
      const link = await ok(client.loginLinkCreate({ client: typedClient(app.url, adminKey), path: { id: partner.id } }));
      const token = new URL(link.url).searchParams.get('token')!;
      const answers = await Promise.all(Array.from({ length: 8 }, () => signIn({ loginToken: token })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 401, 401, 401, 401, 401, 401, 401]);
    });

    it('an expired link, a made-up token: 401, no cookie', async () => {
      const link = await ok(client.loginLinkCreate({ client: typedClient(app.url, adminKey), path: { id: partner.id } }));
      await db.query(`update login_links set expires_at = now() - interval '1 second' where used_at is null`);
      for (const token of [new URL(link.url).searchParams.get('token')!, 'A'.repeat(43)]) {
        const res = await signIn({ loginToken: token }).expect(401);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('only for the company’s own partners: another tenant’s partner or a junk id is 404, and partners cannot make links', async () => {
      const other = await newCompany(app, { name: 'Other' });
      const res = await other.admin.post(`/v1/partners/${partner.id}/login-link`).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      await admin.post(`/v1/partners/${'x'.repeat(300)}/login-link`).expect(404);
      await api(app, partner.partnerApiKey).post(`/v1/partners/${partner.id}/login-link`).expect(403);
    });
  });
});

describe('failed sign-ins are limited per address, like failed Bearer keys', () => {
  it('after AUTH_FAILURES_PER_MINUTE failures the address gets 429 with Retry-After, a good key included', async () => {
    const app = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '3' });
    try {
      const { company } = await newCompany(app, { name: 'Limited' });
      const post = (body: object) => request(app.app.getHttpServer()).post('/v1/sessions').send(body);
      for (const apiKey of ['pf_admin_a', 'pf_admin_b', 'pf_admin_c']) await post({ apiKey }).expect(401);
      const limited = await post({ loginToken: 'B'.repeat(43) }).expect(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await post({ apiKey: company.adminApiKey }).expect(429);
    } finally {
      await app.close();
    }
  });
});

describe('failed authentications are counted once for all the processes on a database', () => {
  it('two web processes share the budget: failures on either count, and the second process refuses at the shared limit', async () => {
    const databaseUrl = await createTestDatabase('pf_auth_failures');
    const one = await startTestApp({ DATABASE_URL: databaseUrl, AUTH_FAILURES_PER_MINUTE: '4' });
    const two = await startTestApp({ DATABASE_URL: databaseUrl, AUTH_FAILURES_PER_MINUTE: '4', ROLE: 'web' });
    try {
      const { company } = await newCompany(one, { name: 'Shared limit' });
      await api(one, 'pf_admin_guess_1').get('/v1/company').expect(401);
      await api(two, 'pf_admin_guess_2').get('/v1/company').expect(401);
      await request(one.app.getHttpServer()).post('/v1/sessions').send({ apiKey: 'pf_admin_guess_3' }).expect(401);
      await api(two, 'pf_admin_guess_4').get('/v1/company').expect(401);
      // the fifth failure is over the budget of 4, wherever it lands; each process alone has seen only 2
      const refused = await api(one, 'pf_admin_guess_5').get('/v1/company').expect(429);
      expect(refused.body).toMatchObject({ code: 'too_many_failed_authentications' });
      await api(one, company.adminApiKey).get('/v1/company').expect(429);
      // the other process learns it on the address's next failure there
      await api(two, 'pf_admin_guess_6').get('/v1/company').expect(429);
      await api(two, company.adminApiKey).get('/v1/company').expect(429);
    } finally {
      await two.close();
      await one.close();
    }
  }, 90_000);
});
