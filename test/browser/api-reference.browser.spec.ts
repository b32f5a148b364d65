import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startTestApp } from '../support/app.js';
import { join } from 'node:path';
import { launchBrowser, openTab, SCREENSHOTS } from './support/browser.js';
import type { RunningApp } from '../../src/bootstrap.js';

/** The reference page beside Swagger UI renders the document in a real Chromium, under the app's CSP, from local files only. */
describe('the API reference page (/docs/reference)', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves the page under the app’s CSP (plus blob: workers) and Redoc’s script compressed', async () => {
    const page = await request(app.app.getHttpServer()).get('/docs/reference').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("worker-src 'self' blob:");
    expect(page.text).toContain('spec-url="/docs-json"');
    const script = await request(app.app.getHttpServer()).get('/docs/reference/redoc.standalone.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(Number(script.headers['content-length'])).toBeLessThan(400_000);
    expect(script.text).toContain('Redoc');
  });

  it('renders every tag and an operation with its examples, with no error and no request leaving the server', async () => {
    const tab = await openTab(browser, app.url);
    const outside: string[] = [];
    tab.page.on('requestfinished', (r) => {
      if (!r.url().startsWith(app.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await tab.page.goto('/docs/reference');
    await tab.page.getByRole('heading', { name: 'Partnerflow API (1)' }).waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const tag of ['Companies', 'Partners', 'Attribution', 'Invoicing', 'Payouts', 'Tracking'])
      await expect(tab.page.getByText(tag, { exact: true }).first().isVisible()).resolves.toBe(true);
    await tab.page.getByRole('heading', { name: 'Create a partner' }).first().scrollIntoViewIfNeeded();
    await expect(tab.page.getByText('Idempotency-Key').first().isVisible()).resolves.toBe(true);
    await tab.page.screenshot({ path: join(SCREENSHOTS, 'api-reference.png') });
    // Redoc's sidebar footer always asks for its logo on cdn.redoc.ly; the CSP refuses it (nothing leaves) and the logo hides itself.
    expect(
      tab.errors.filter((e) => !/Loading the image 'https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg' violates the following Content Security Policy/.test(e)),
    ).toEqual([]);
    expect(outside).toEqual([]);
    await tab.context.close();
  }, 60_000);
});
