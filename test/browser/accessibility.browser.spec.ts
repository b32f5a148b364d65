import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import * as api from '../../clients/typescript/src/index.js';
import { ok } from '../support/typed-client.js';
import { eventually } from '../support/eventually.js';
import { launchBrowser, openTab, screenshot, scrollsSideways, seriousViolations, type Tab } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';
import { addCardByApi, attributedPayment, generateInvoice, mismatchedPayment, seedCompany, seedPartner } from './support/seed.js';

/** Every page, signed in as who may see it, at desktop and phone width: axe-core finds nothing serious, nothing scrolls sideways. */
describe('every console page: axe-core and 390 px', () => {
  let ca: ConsoleApp;
  let browser: Browser;
  let admin: string[];
  let portal: string[];
  let adminKey: string;
  let partnerKey: string;
  /** axe-core on every page at desktop width; at 390 px (the same markup, narrow CSS) on these (and a partner and an endpoint, added when seeded), to keep the suite short. */
  const AXE_AT_390 = new Set(['/admin', '/admin/payments', '/admin/settings', '/admin/webhooks', '/portal', '/portal/invoices', '/']);

  beforeAll(async () => {
    [ca, browser] = await Promise.all([startConsoleApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }), launchBrowser()]);
    const co = await seedCompany(ca, 'Umbrella Corporation Worldwide Holdings');
    adminKey = co.adminKey;
    // an endpoint nobody answers (a closed port): its deliveries stay pending with the connection error
    const endpoint = await ok(
      api.createWebhookEndpoint({
        client: co.client,
        body: {
          url: 'http://127.0.0.1:1/unreachable-receiver-with-a-long-path',
          events: ['partner.created', 'lead.created', 'payment.attributed'],
          description: 'Data warehouse',
        },
      }),
    );
    await ok(
      api.companySettingsUpdate({
        client: co.client,
        body: {
          tracking: {
            landingUrl: 'https://umbrella-corporation-worldwide.example/partners/welcome',
            allowedOrigins: ['https://umbrella-corporation-worldwide.example'],
          },
        },
      }),
    );
    const partner = await seedPartner(co, { name: 'Maximilian Alexander Partnerschaft-Gesellschaft', currency: 'kwd' });
    await ok(api.updatePartner({ client: co.client, path: { id: partner.id }, body: { promotionCodes: ['MAXIMILIAN2026', 'promo_1QabcdefGHIJklmn'] } }));
    for (const build of [1, 2]) {
      const res = await fetch(`${ca.url}/r/${partner.referralKey}`, {
        redirect: 'manual',
        headers: { 'User-Agent': `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.${build}.0 Safari/537.36` },
      });
      expect(res.status).toBe(302);
    }
    partnerKey = partner.partnerApiKey;
    await ok(api.fxRatesPublish({ client: ca.operator, body: { base: 'usd', asOf: new Date().toISOString().slice(0, 10), rates: { kwd: 0.307 } } }));
    await addCardByApi(ca, co);
    const { lead } = await attributedPayment(co, partner.id, 123_456);
    const { payment } = await mismatchedPayment(co, partner.id);
    const invoice = await generateInvoice(co, partner.id);
    await ok(
      api.bankDetailsSet({
        client: partner.portal(ca.url),
        body: { accountHolder: 'Maximilian Alexander', bankName: 'National Bank of Kuwait', country: 'KW', iban: 'KW81CBKU0000000000001234560101' },
      }),
    );
    await eventually(
      async () => expect((await ok(api.webhookDeliveriesList({ client: co.client, path: { id: endpoint.id } }))).data.some((d) => d.attempts > 0)).toBe(true),
      { timeoutMs: 20_000 },
    );
    admin = [
      '/admin',
      '/admin/payments',
      '/admin/payments?attribution=unattributed',
      `/admin/payments/${payment.id}`,
      '/admin/leads',
      `/admin/leads/${lead.id}`,
      '/admin/partners',
      `/admin/partners/${partner.id}`,
      '/admin/commissions',
      '/admin/invoices',
      `/admin/invoices/${invoice.invoiceId}`,
      '/admin/settings',
      '/admin/webhooks',
      `/admin/webhooks/${endpoint.id}`,
      '/admin/no-such-page',
    ];
    AXE_AT_390.add(`/admin/partners/${partner.id}`).add(`/admin/webhooks/${endpoint.id}`);
    portal = ['/portal', '/portal/leads', '/portal/commissions', '/portal/invoices', '/portal/stripe/onboarding?result=refresh'];
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ca?.close();
  });

  async function signedIn(key: string, width: number): Promise<Tab> {
    const tab = await openTab(browser, ca.url, { width, height: 900 });
    const res = await tab.page.request.post('/v1/sessions', { data: { apiKey: key }, headers: { Origin: ca.url } });
    expect(res.status()).toBe(201);
    return tab;
  }

  /** Waits until the page has settled: its heading is there and nothing is loading any more. */
  async function settle(page: Page) {
    await page.locator('h1').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.state-loading, [aria-busy="true"]'), undefined, { polling: 100 });
  }

  async function check(tab: Tab, paths: string[], width: number) {
    const problems: string[] = [];
    for (const path of paths) {
      await tab.page.goto(path);
      try {
        await settle(tab.page);
      } catch {
        problems.push(`${path} @${width}: did not settle (screenshot unsettled${path.replace(/[/?=]+/g, '-')})`);
        await screenshot(tab.page, `unsettled${path.replace(/[/?=]+/g, '-')}`);
        continue;
      }
      if (width >= 500 || AXE_AT_390.has(path)) problems.push(...(await seriousViolations(tab.page)).map((v) => `${path} @${width}: ${v}`));
      if (width < 500 && (await scrollsSideways(tab.page))) problems.push(`${path} @${width}: scrolls sideways`);
      if (width < 500)
        await screenshot(
          tab.page,
          `390${path
            .replace(/\/[a-z]+_[A-Za-z0-9]+/g, '/detail')
            .replace(/[/?=]+/g, '-')
            .replace(/-+$/, '')}`,
        );
    }
    return problems;
  }

  it.each([1280, 390])(
    'admin pages at %i px',
    async (width) => {
      const tab = await signedIn(adminKey, width);
      expect(await check(tab, admin, width)).toEqual([]);
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    },
    120_000,
  );

  it.each([1280, 390])(
    'portal pages at %i px',
    async (width) => {
      const tab = await signedIn(partnerKey, width);
      expect(await check(tab, portal, width)).toEqual([]);
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    },
    60_000,
  );

  it('sign-in and a bad login link; keyboard only', async () => {
    const tab = await openTab(browser, ca.url, { width: 390, height: 844 });
    expect(await check(tab, ['/', '/portal/login?token=not-a-token'], 390)).toEqual([]);
    expect(await check(tab, ['/', '/portal/login?token=not-a-token'], 1280)).toEqual([]);
    await tab.page.goto('/');
    await tab.page.getByRole('button', { name: 'Sign in' }).waitFor();
    // keyboard only: the field, then the button
    await tab.page.keyboard.press('Tab');
    expect(await tab.page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('apiKey');
    await tab.page.keyboard.type(adminKey);
    await tab.page.keyboard.press('Enter');
    await tab.page.waitForURL(`${ca.url}/admin`);
    await tab.page.locator('[data-ready]').waitFor();
    await tab.page.keyboard.press('Tab');
    expect(await tab.page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await tab.context.close();
  });
});
