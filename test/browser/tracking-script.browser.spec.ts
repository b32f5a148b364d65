import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { launchBrowser } from './support/browser.js';
import { readSql } from '../../libs/database/sql.js';
import type { RunningApp } from '../../src/bootstrap.js';

declare global {
  /** What the tracking script defines on a page that loads it (the parts these tests call). */
  interface Window {
    Partnerflow?: { ready: Promise<string | null>; referral: string; signup(v: object): Promise<{ id: string; partnerId: string }> };
  }
}

/** A visitor's browser, not a headless one (HeadlessChrome is a known bot and would not be counted). */
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/** A company's site on its own origin: every page includes the tracking script the way the README shows. */
async function companySite(host: string, script: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><head><title>Shop</title>${script()}</head><body><h1>${req.url}</h1></body></html>`);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/**
 * SPEC §10 in a real Chromium: a referral link lands on the company's site (another origin than Partnerflow's),
 * the script keeps the click id in a first-party cookie, Partnerflow.signup creates the lead, and a site whose
 * origin the company did not allow gets nothing through (CORS), with nothing stored.
 */
describe('partnerflow.js in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let admin: Api;
  let pk: string;
  let site: Awaited<ReturnType<typeof companySite>>;
  let foreign: Awaited<ReturnType<typeof companySite>>;
  let jane: { id: string; referralKey: string };
  let max: { id: string; referralKey: string };
  const tag = () => `<script src="${app.url}/js/partnerflow.js" data-key="${pk}"></script>`;

  let visitors = 0;
  /** A new visitor: its own cookies, and its own browser build (the same address and user agent is the same visitor). */
  const visitor = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ userAgent: CHROME.replace('140.0.0.0', `140.0.${++visitors}.0`) });
    return { context, page: await context.newPage() };
  };
  const ready = (page: Page) => page.evaluate(() => window.Partnerflow!.ready);
  const cookie = async (context: BrowserContext, url: string) => (await context.cookies(url)).find((c) => c.name === 'pf_ref');
  const clicks = async () => Number((await readSql(app.orm).query<{ n: string }>(`select count(*) as n from es_events where type = 'ClickRecorded'`))[0]!.n);

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    // localhost and 127.0.0.1 are different sites to the browser: the company's site is not Partnerflow's origin.
    site = await companySite('localhost', tag);
    foreign = await companySite('localhost', tag);
    ({ admin } = await newCompany(app, { name: 'Browser Shop' }));
    pk = (await admin.patch('/v1/company', { tracking: { landingUrl: `${site.url}/welcome`, cookieDays: 30, allowedOrigins: [site.url] } }).expect(200)).body
      .publishableKey;
    jane = (await admin.post('/v1/partners', { name: 'Jane', email: 'jane@partner.example', currency: 'usd' }).expect(201)).body;
    max = (await admin.post('/v1/partners', { name: 'Max', email: 'max@partner.example', currency: 'usd' }).expect(201)).body;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await foreign?.close();
    await app?.close();
  });

  it('keeps the click id of a referral link in a first-party cookie, and signup creates the lead', async () => {
    const { context, page } = await visitor();
    await page.goto(`${app.url}/r/${jane.referralKey}?to=/pricing`);
    expect(new URL(page.url()).origin).toBe(site.url);
    expect(new URL(page.url()).pathname).toBe('/pricing');
    const clickId = new URL(page.url()).searchParams.get('pf_ref');
    expect(clickId).toMatch(/^clk_[0-9a-f]{32}_1$/);
    expect(await ready(page)).toBe(clickId);
    const kept = await cookie(context, site.url);
    expect(kept).toMatchObject({ value: clickId, path: '/', sameSite: 'Lax', domain: 'localhost' });
    expect(kept!.expires - Date.now() / 1000).toBeGreaterThan(30 * 86400 - 120);
    expect(kept!.expires - Date.now() / 1000).toBeLessThanOrEqual(30 * 86400);

    // Another page of the site, later: the script reads the cookie.
    await page.goto(`${site.url}/signup`);
    expect(await page.evaluate(() => window.Partnerflow!.referral)).toBe(clickId);
    const lead = await page.evaluate(() =>
      window.Partnerflow!.signup({
        email: 'browser@visitor.example',
        name: 'Bea',
      }),
    );
    expect(lead).toMatchObject({ partnerId: jane.id, email: 'browser@visitor.example', created: true });
    expect((await admin.get(`/v1/leads/${lead.id}`).expect(200)).body).toMatchObject({ partnerId: jane.id, name: 'Bea' });
    await context.close();
  });

  it('records a click from ?via= through CORS, and the model decides which click the cookie keeps', async () => {
    const { context, page } = await visitor();
    const before = await clicks();
    await page.goto(`${site.url}/?via=${jane.referralKey}`);
    const first = await ready(page);
    expect(first).toMatch(/^clk_/);
    expect(await clicks()).toBe(before + 1);
    // last_click (the default): a later click of another partner replaces it.
    await page.goto(`${site.url}/?via=${max.referralKey}`);
    const second = await ready(page);
    expect(second).not.toBe(first);
    expect((await cookie(context, site.url))?.value).toBe(second);
    // first_click: the cookie keeps the click it has.
    await admin.patch('/v1/company', { tracking: { model: 'first_click' } }).expect(200);
    await new Promise((ok) => setTimeout(ok, 1_100)); // the tracking directory re-reads settings within a second
    await page.goto(`${site.url}/?via=${jane.referralKey}`);
    expect(await ready(page)).toBe(second);
    expect((await cookie(context, site.url))?.value).toBe(second);
    await admin.patch('/v1/company', { tracking: { model: 'last_click' } }).expect(200);
    await context.close();
  });

  it('gets nothing through from an origin the company did not allow, and stores nothing', async () => {
    const { context, page } = await visitor();
    const before = await clicks();
    const warnings: string[] = [];
    page.on('console', (m) => warnings.push(m.text()));
    await page.goto(`${foreign.url}/?via=${jane.referralKey}`);
    await expect(ready(page)).rejects.toThrow();
    expect(await clicks()).toBe(before);
    expect(await cookie(context, foreign.url)).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/CORS|Access-Control-Allow-Origin/);
    await context.close();
  });
});
