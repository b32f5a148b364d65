import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { startTestApp } from '../support/app.js';
import { ensureConsoleBuilt } from '../browser/support/console-app.js';
import type { RunningApp } from '../../src/bootstrap.js';

/** The app serves the built console on its own port: pages for /, /admin/…, /portal/…; the API keeps its 404s. */
describe('the console served by the app', () => {
  let app: RunningApp;
  let script: string;
  const http = () => request(app.app.getHttpServer());

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp({ STRIPE_JS_URL: 'https://js.example/v3/?a=1&b="2"', STRIPE_PUBLISHABLE_KEY: 'pk_test_static' });
  });
  afterAll(() => app?.close());

  it.each(['/', '/admin', '/admin/payments/pay_123', '/portal', '/portal/login?token=abc', '/portal/stripe/onboarding?result=return'])(
    'GET %s answers the page, revalidated on every load',
    async (path) => {
      const res = await http().get(path).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
      script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(res.text)![1]!;
    },
  );

  it('puts the Stripe.js URL and publishable key in the page, escaped', async () => {
    const res = await http().get('/').expect(200);
    const content = /<meta name="partnerflow-config" content="([^"]*)">/.exec(res.text)![1]!;
    const config = JSON.parse(content.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<'));
    expect(config).toEqual({ stripeJsUrl: 'https://js.example/v3/?a=1&b="2"', stripePublishableKey: 'pk_test_static' });
  });

  it('hashed assets: cached for a year, pre-compressed (brotli, gzip) by what the browser accepts', async () => {
    const br = await http()
      .get(script)
      .set('Accept-Encoding', 'gzip, deflate, br')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['vary']).toContain('Accept-Encoding');
    expect(br.headers['content-type']).toMatch(/^text\/javascript/);
    const gzip = await http().get(script).set('Accept-Encoding', 'gzip').expect(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await http().get(script).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBeGreaterThan(Number(br.headers['content-length']));
  });

  it.each([
    ['GET', '/assets/missing-abc123.js'],
    ['GET', '/v1/nothing-here'],
    ['GET', '/administrator'],
    ['GET', '/portals'],
    ['POST', '/admin'],
    ['DELETE', '/portal/leads'],
  ])('%s %s stays the API’s 404 problem+json', async (method, path) => {
    const res = await http()[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path).expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('HEAD of a page answers its headers', async () => {
    const res = await http().head('/admin/settings').expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });
});
