import { describe, it, expect } from '@jest/globals';
import { newCompany } from '../support/app.js';
import { capturedLogger, startLoggedApp } from '../support/captured-log.js';
import { exchanges, type Exchange } from '../support/webhook-exchanges.js';
import { startApp } from '../../src/bootstrap.js';

const SECRET = 'whsec_lean_route';

/** The exchanges of one app, company ids replaced by placeholders; and which requests reached Express. */
async function record(lean: boolean): Promise<{ answers: Omit<Exchange, 'framework'>[]; framework: string[] }> {
  const captured = capturedLogger('info');
  const first = await startLoggedApp(captured.log);
  // The same app, started again on its database with or without the lean route.
  await first.close();
  const app = await startApp(first.config, captured.log, undefined, { leanWebhooks: lean });
  try {
    let seen = 0;
    // Express's request entry point (not in its types), wrapped to count what reaches Express.
    const express = app.app.getHttpAdapter().getInstance();
    const handle: (...args: unknown[]) => unknown = Reflect.get(express, 'handle');
    Reflect.set(express, 'handle', function (this: unknown, ...args: unknown[]) {
      seen++;
      return handle.apply(this, args);
    });
    const { admin, company } = await newCompany(app, { name: 'Lean' });
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET }).expect(200);
    const { company: unconnected } = await newCompany(app, { name: 'Unconnected' });
    const all = await exchanges({
      url: app.url,
      connected: company.id,
      unconnected: unconnected.id,
      secret: SECRET,
      logLines: () => captured.lines,
      frameworkRequests: () => seen,
    });
    const text = JSON.stringify(all.map(({ framework: _f, ...answer }) => answer))
      .replaceAll(encodeURIComponent(company.id).replace('_', '%5F'), '<connected, encoded>')
      .replaceAll(company.id, '<connected>')
      .replaceAll(unconnected.id, '<unconnected>');
    return { answers: JSON.parse(text), framework: all.filter((e) => e.framework).map((e) => e.name) };
  } finally {
    await app.close();
  }
}

describe('POST /v1/webhooks/stripe/:companyId served before the framework', () => {
  it('answers, with the same headers, and logs exactly as the Nest route does, for every kind of delivery', async () => {
    const lean = await record(true);
    const nest = await record(false);
    expect(lean.answers.length).toBeGreaterThan(60);
    for (let i = 0; i < nest.answers.length; i++) expect(lean.answers[i]).toEqual(nest.answers[i]);
    expect(nest.framework).toHaveLength(nest.answers.length);
    // Only what the lean route cannot answer as Express would reaches Express: other encodings and types, odd paths.
    expect(lean.framework).toEqual([
      'text/plain',
      'no Content-Type',
      'application/vnd+json',
      'charset latin1',
      'charset utf-16',
      'gzip',
      'chunked',
      'empty body',
      'over 1 MB',
      'trailing slash',
      'upper-case path',
      'query string',
      'percent-encoded id',
      '%00 in the id',
      'GET',
      'PUT',
    ]);
    const valid = lean.answers.find((a) => a.name === 'valid')!;
    expect(valid).toMatchObject({
      status: 200,
      body: '{"received":true}',
      logs: [{ msg: 'request', method: 'POST', status: 200, path: '/v1/webhooks/stripe/<connected>' }],
    });
    // helmet's security headers, no X-Powered-By, then Express's own
    expect(valid.headers.map(([k]) => k)).toEqual([
      'Content-Security-Policy',
      'Cross-Origin-Opener-Policy',
      'Cross-Origin-Resource-Policy',
      'Origin-Agent-Cluster',
      'Referrer-Policy',
      'Strict-Transport-Security',
      'X-Content-Type-Options',
      'X-DNS-Prefetch-Control',
      'X-Download-Options',
      'X-Frame-Options',
      'X-Permitted-Cross-Domain-Policies',
      'X-XSS-Protection',
      'Content-Type',
      'Content-Length',
      'ETag',
      'Connection',
    ]);
    expect(JSON.stringify(lean.answers)).not.toContain('op_secret_key_not_for_logs');
  }, 120_000);
});
