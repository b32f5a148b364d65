import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import * as api from '../../clients/typescript/src/index.js';
import { eventually } from '../support/eventually.js';
import { ok, typedClient } from '../support/typed-client.js';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { launchBrowser, openTab, screenshot, scrollsSideways, type Tab } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';
import { attributedPayment, seedCompany, seedPartner, type SeededCompany } from './support/seed.js';

/** A visitor's browser (HeadlessChrome is a known bot and would not be counted); one build per visitor. */
const visitorAgent = (n: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.${n}.0 Safari/537.36`;

/**
 * The console pages of SPEC §10–§12 in Chromium, on one app with a local SMTP receiver and private webhook endpoints
 * allowed: tracking settings and the snippet, the funnel after referral link clicks, a webhook endpoint delivering to a
 * local receiver (a failed delivery retried), Send login link, key rotation, deactivation, CSV export links.
 */
describe('console: tracking, funnel, webhooks, e-mail and keys', () => {
  let ca: ConsoleApp;
  let browser: Browser;
  let smtp: SmtpReceiver;
  let receiver: WebhookReceiver;
  let co: SeededCompany;
  let partner: Awaited<ReturnType<typeof seedPartner>>;
  let tab: Tab;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    // the first delivery is refused, later ones are taken: a delivery to retry
    receiver = await startWebhookReceiver((_w, i) => (i === 0 ? 500 : 200));
    [ca, browser] = await Promise.all([
      // a long first retry delay: only the Retry button sends the failed delivery again
      startConsoleApp({
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Partners <partners@console.example>',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        OUTBOUND_RETRY_BASE_MS: '600000',
      }),
      launchBrowser(),
    ]);
    co = await seedCompany(ca, 'Globex Tracking');
    partner = await seedPartner(co, { name: 'Jane Referrer' });
    await attributedPayment(co, partner.id, 12_000);
    tab = await openTab(browser, ca.url);
    expect((await tab.page.request.post('/v1/sessions', { data: { apiKey: co.adminKey }, headers: { Origin: ca.url } })).status()).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ca?.close();
    await receiver?.close();
    await smtp?.close();
  });

  /** A click on the partner's referral link from a visitor's browser: 302 to the landing page with pf_ref. */
  async function click(visitor: number): Promise<string> {
    const res = await fetch(`${ca.url}/r/${partner.referralKey}`, { redirect: 'manual', headers: { 'User-Agent': visitorAgent(visitor) } });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('pf_ref')!;
  }

  it('tracking settings: a bad landing URL is named next to its field; saved settings show the publishable key and the exact snippet', async () => {
    const page = tab.page;
    await page.goto('/admin/settings');
    const tracking = page.locator('#tracking');
    await tracking.getByLabel('Landing page URL').fill('ftp://shop.example/');
    await tracking.getByRole('button', { name: 'Save tracking settings' }).click();
    await tracking.locator('.field-error').first().waitFor();
    expect(await tracking.getByLabel('Landing page URL').getAttribute('aria-invalid')).toBe('true');

    await tracking.getByLabel('Landing page URL').fill('https://shop.example/welcome');
    await tracking.getByLabel('Cookie lifetime (days)').fill('30');
    await tracking.getByLabel('Attribution model').selectOption('first_click');
    await tracking.getByLabel('Allowed origins').fill('https://shop.example\nhttps://www.shop.example');
    await tracking.getByRole('button', { name: 'Save tracking settings' }).click();
    await tracking.getByText('Tracking settings saved.').waitFor();
    const company = await ok(api.companySettingsGet({ client: co.client }));
    expect(company.tracking).toEqual({
      landingUrl: 'https://shop.example/welcome',
      cookieDays: 30,
      model: 'first_click',
      allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
    });
    expect(company.publishableKey).toMatch(/^pk_/);
    const snippet = `<script src="${ca.url}/js/partnerflow.js" data-key="${company.publishableKey}"></script>`;
    expect(await tracking.locator('pre.snippet').innerText()).toBe(snippet);
    await tracking.getByRole('button', { name: 'Copy snippet' }).click();
    await tracking.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await screenshot(page, 'admin-settings-tracking');
    expect(tab.errors).toEqual([]);
  });

  it('the funnel after clicks on /r/{key}: partner page (chart and table), portal, dashboard leaderboard', async () => {
    const clickIds = [await click(1), await click(2), await click(2), await click(3)];
    expect(new Set(clickIds).size).toBe(3);
    const company = await ok(api.companySettingsGet({ client: co.client }));
    const signup = await fetch(`${ca.url}/v1/track/leads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://shop.example' },
      body: JSON.stringify({ publishableKey: company.publishableKey, clickId: clickIds[0], email: 'visitor@shop.example' }),
    });
    expect(signup.status).toBe(200);
    await eventually(async () =>
      expect((await ok(api.funnelPartner({ client: co.client, path: { id: partner.id } }))).data.reduce((s, p) => s + p.clicks, 0)).toBe(3),
    );

    const page = tab.page;
    await page.goto(`/admin/partners/${partner.id}`);
    const funnel = page.locator('#funnel');
    const stat = (label: string) =>
      funnel
        .locator('.stat', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('.stat-value')
        .innerText();
    expect(await stat('Clicks')).toBe('3');
    expect(await stat('Leads')).toBe('2'); // the seeded payment's lead and the signup
    expect(await stat('Paying customers')).toBe('1');
    expect(await stat('Revenue \\(net\\)')).toBe('$120.00');
    await funnel.locator('canvas').first().waitFor();
    expect(await funnel.locator('.table-wrap tbody tr').first().locator('td').nth(1).innerText()).toBe('3');
    await funnel.getByLabel('Period').selectOption('12w');
    expect(await stat('Clicks')).toBe('3');
    await screenshot(page, 'admin-partner-funnel');

    await page.goto('/admin');
    const board = page.locator('#leaderboard');
    await board.getByRole('link', { name: 'Jane Referrer' }).waitFor();
    expect(await board.locator('tbody tr', { hasText: 'Jane Referrer' }).locator('td').nth(1).innerText()).toBe('3');

    const portal = await openTab(browser, ca.url, { width: 390, height: 844 });
    await portal.page.request.post('/v1/sessions', { data: { apiKey: partner.partnerApiKey }, headers: { Origin: ca.url } });
    await portal.page.goto('/portal');
    expect(
      await portal.page
        .locator('#funnel .stat', { has: portal.page.locator('dt', { hasText: /^Clicks$/ }) })
        .locator('.stat-value')
        .innerText(),
    ).toBe('3');
    expect(await portal.page.locator('#referral code').first().innerText()).toBe(`${ca.url}/r/${partner.referralKey}`);
    expect(await scrollsSideways(portal.page)).toBe(false);
    await screenshot(portal.page, 'portal-funnel-390');
    expect([...tab.errors, ...portal.errors]).toEqual([]);
    await portal.context.close();
  });

  it('promotion codes are saved on the partner; one another partner holds is refused with the reason', async () => {
    const other = await seedPartner(co, { name: 'Max Other' });
    await ok(api.updatePartner({ client: co.client, path: { id: other.id }, body: { promotionCodes: ['MAX10'] } }));
    const page = tab.page;
    await page.goto(`/admin/partners/${partner.id}`);
    const codes = page.locator('#promotion-codes');
    await codes.getByLabel('Promotion codes').fill('jane20\nmax10');
    await codes.getByRole('button', { name: 'Save promotion codes' }).click();
    await codes.getByRole('alert').waitFor();
    await codes.getByLabel('Promotion codes').fill('jane20\npromo_JANE1');
    await codes.getByRole('button', { name: 'Save promotion codes' }).click();
    await codes.getByText('Promotion codes saved.').waitFor();
    expect((await ok(api.partnersGet({ client: co.client, path: { id: partner.id } }))).promotionCodes).toEqual(['JANE20', 'promo_JANE1']);
    await codes.locator('.chips').getByText('JANE20').waitFor();
  });

  it('a webhook endpoint on a local receiver: secret shown once, a delivery listed with its status code, retried', async () => {
    const page = tab.page;
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.waitForURL(`${ca.url}/admin/webhooks`);
    const form = page.locator('#new-endpoint');
    await form.getByLabel('Endpoint URL').fill(`${receiver.url}/partnerflow`);
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await form.locator('.field-error').first().waitFor(); // no event chosen
    await form.getByLabel('partner.created').check();
    await form.getByLabel('lead.created').check();
    await form.getByLabel('Description (optional)').fill('CRM sync');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = await form.locator('.secret code').innerText();
    expect(secret).toMatch(/^whsec_/);
    await page
      .locator('#endpoints')
      .getByRole('link', { name: `${receiver.url}/partnerflow` })
      .waitFor();
    await screenshot(page, 'admin-webhooks');

    const created = await seedPartner(co, { name: 'Hooked Partner' });
    await eventually(async () => expect(receiver.ofType('partner.created')).toHaveLength(1), { timeoutMs: 20_000 });
    await page
      .locator('#endpoints')
      .getByRole('link', { name: `${receiver.url}/partnerflow` })
      .click();
    const deliveries = page.locator('#deliveries');
    const row = deliveries.locator('tbody tr', { hasText: 'partner.created' });
    await row.getByText('HTTP 500').waitFor();
    expect(await row.locator('.badge').innerText()).toBe('Pending');
    await row.getByRole('button', { name: /^Retry/ }).click();
    await deliveries.getByText(/answered 200/).waitFor();
    await row.locator('.badge', { hasText: 'Succeeded' }).waitFor();
    await row.getByText('HTTP 200').waitFor();
    const sent = receiver.ofType('partner.created');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.body.id).toBe(sent[0]!.body.id);
    expect(sent[1]!.body.data.object.id).toBe(created.id);
    await screenshot(page, 'admin-webhook-deliveries');

    // delete asks first, then the endpoint is gone
    await page.goto('/admin/webhooks');
    const endpoints = page.locator('#endpoints');
    await endpoints.getByRole('button', { name: 'Delete' }).click();
    await endpoints.getByRole('button', { name: 'Delete endpoint' }).click();
    await endpoints.getByText('No endpoints yet').waitFor();
    expect((await ok(api.webhookEndpointsList({ client: co.client }))).data).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('Send login link e-mails the link (local SMTP) and shows it', async () => {
    const page = tab.page;
    await page.goto(`/admin/partners/${partner.id}`);
    const access = page.locator('#portal-access');
    await access.getByRole('button', { name: 'Send login link' }).click();
    const url = await access.locator('.secret code').innerText();
    expect(url).toMatch(new RegExp(`^${ca.url}/portal/login\\?token=`));
    await access.getByText(`on its way to ${partner.email}`).waitFor();
    const mail = await eventually(
      async () => {
        const [m] = smtp.to(partner.email);
        expect(m).toBeDefined();
        return m!;
      },
      { timeoutMs: 20_000 },
    );
    expect(mail.text).toContain(url);
    expect(tab.errors).toEqual([]);
  });

  it('partner key rotation shows the new key once; deactivate asks first, then reactivate', async () => {
    const page = tab.page;
    await page.goto(`/admin/partners/${partner.id}`);
    const access = page.locator('#portal-access');
    await access.getByRole('button', { name: 'Rotate API key' }).click();
    await access.getByText('stop working at once').waitFor();
    await access.getByRole('button', { name: 'Rotate the key now' }).click();
    const key = await access.locator('.notice-success .secret code').innerText();
    expect(key).toMatch(/^pf_partner_/);
    expect((await api.portalMe({ client: typedClient(ca.url, partner.partnerApiKey) })).response?.status).toBe(401);
    expect((await ok(api.portalMe({ client: typedClient(ca.url, key) }))).id).toBe(partner.id);
    await page.reload();
    await access.getByRole('button', { name: 'Rotate API key' }).waitFor();
    expect(await page.content()).not.toContain(key);

    await access.getByRole('button', { name: 'Deactivate partner' }).click();
    await access.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await page.locator('.page-header .badge', { hasText: 'Deactivated' }).waitFor();
    expect(await access.getByRole('button', { name: 'Send login link' }).isDisabled()).toBe(true);
    expect((await api.portalMe({ client: typedClient(ca.url, key) })).response?.status).toBe(401);
    await access.getByRole('button', { name: 'Reactivate partner' }).click();
    await access.getByRole('button', { name: 'Deactivate partner' }).waitFor();
    expect((await ok(api.portalMe({ client: typedClient(ca.url, key) }))).id).toBe(partner.id);
    expect(tab.errors).toEqual([]);
  });

  it('CSV export links carry the page’s filters and download with the session', async () => {
    const page = tab.page;
    await page.goto('/admin/payments?attribution=attributed');
    const link = page.getByRole('link', { name: 'Export CSV of payments' });
    expect(await link.getAttribute('href')).toBe('/v1/exports/payments.csv?attribution=attributed');
    const csv = await page.request.get((await link.getAttribute('href'))!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\r\n')).toHaveLength(3); // header, one payment, the final line end
    await page.goto(`/admin/commissions?status=payable&partnerId=${partner.id}`);
    expect(await page.getByRole('link', { name: 'Export CSV of commissions' }).getAttribute('href')).toBe(
      `/v1/exports/commissions.csv?status=payable&partnerId=${partner.id}`,
    );
    for (const [path, name] of [
      ['/admin/invoices', 'invoices'],
      ['/admin/partners', 'partners'],
      ['/admin/leads', 'leads'],
    ]) {
      await page.goto(path!);
      expect(await page.getByRole('link', { name: `Export CSV of ${name}` }).getAttribute('href')).toBe(`/v1/exports/${name}.csv`);
    }
  });

  it('admin key rotation: warned first, the new key shown once, this session goes on with it; the old key is refused', async () => {
    const page = tab.page;
    await page.goto('/admin/settings');
    const card = page.locator('#admin-key');
    await card.getByRole('button', { name: 'Rotate admin API key' }).click();
    await card.getByText('this one included').waitFor();
    await card.getByRole('button', { name: 'Rotate the key now' }).click();
    const key = await card.locator('.secret code').innerText();
    expect(key).toMatch(/^pf_admin_/);
    await card.getByText('You are signed in with it here.').waitFor();
    await screenshot(page, 'admin-key-rotated');
    expect((await api.companySettingsGet({ client: co.client })).response?.status).toBe(401);
    expect((await ok(api.companySettingsGet({ client: typedClient(ca.url, key) }))).id).toBe(co.companyId);
    // the console keeps working on the new session
    await page.getByRole('link', { name: 'Payments', exact: true }).click();
    await page.locator('table').first().waitFor();
    await page.reload();
    await page.locator('table').first().waitFor();
    expect(page.url()).toBe(`${ca.url}/admin/payments`);
    expect(tab.errors).toEqual([]);
  });
});
