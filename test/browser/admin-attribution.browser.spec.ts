import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import * as api from '../../clients/typescript/src/index.js';
import { eventually } from '../support/eventually.js';
import { ok } from '../support/typed-client.js';
import { launchBrowser, openTab, screenshot, scrollsSideways, type Tab } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';
import { attributedPayment, mismatchedPayment, seedCompany, seedPartner, type SeededCompany } from './support/seed.js';

/** An admin in a real browser: sign in, a payment no lead matched, its diagnosis, Link customer, sign out. */
describe('admin console: sign-in, attribution, forms', () => {
  let ca: ConsoleApp;
  let browser: Browser;
  let co: SeededCompany;
  let partnerId: string;
  let mismatch: Awaited<ReturnType<typeof mismatchedPayment>>;

  beforeAll(async () => {
    [ca, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    co = await seedCompany(ca, 'Acme Analytics');
    partnerId = (await seedPartner(co, { name: 'Jane Partner' })).id;
    await attributedPayment(co, partnerId, 12_900);
    await attributedPayment(co, (await seedPartner(co, { name: 'Kenji Partner', currency: 'jpy' })).id, 15_000, 'jpy');
    mismatch = await mismatchedPayment(co, partnerId, 4_900);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ca?.close();
  });

  async function signIn(tab: Tab, key: string) {
    await tab.page.goto('/');
    await tab.page.getByLabel('API key').fill(key);
    await tab.page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('refuses a wrong key next to the field, then signs the admin in to the dashboard', async () => {
    const tab = await openTab(browser, ca.url);
    await signIn(tab, 'pf_admin_not-a-real-key');
    await expect(tab.page.getByText('This API key is not valid')).toBeTruthy();
    await tab.page.locator('#main .field-error', { hasText: 'This API key is not valid' }).waitFor();
    expect(await tab.page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');

    await signIn(tab, co.adminKey);
    await tab.page.waitForURL(`${ca.url}/admin`);
    await tab.page.locator('[data-ready]').waitFor();
    const cookie = (await tab.context.cookies()).find((c) => c.name === 'pf_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    await expect(tab.page.locator('.stat', { hasText: 'Unattributed payments' }).innerText()).resolves.toContain('1');
    await expect(tab.page.locator('.stat', { hasText: 'Attributed revenue' }).innerText()).resolves.toMatch(/¥15,000[\s\S]*\$129\.00/);
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('mismatched payment → diagnosis with the candidate lead → Link customer → attributed (and its earlier payments too)', async () => {
    const tab = await openTab(browser, ca.url);
    await signIn(tab, co.adminKey);
    await tab.page.locator('[data-ready]').waitFor();
    await tab.page
      .locator('#attention-payments')
      .getByRole('link', { name: /billing@acme-customer\.example/ })
      .click();
    await tab.page.waitForURL(`${ca.url}/admin/payments/${mismatch.payment.id}`);

    const diagnosis = tab.page.locator('#diagnosis');
    await diagnosis.getByText(mismatch.lead.email).waitFor();
    expect(await diagnosis.getByRole('radio', { name: new RegExp(mismatch.lead.email.replace('.', '\\.')) }).isChecked()).toBe(true);
    expect(await diagnosis.getByRole('checkbox', { name: /earlier unattributed payments/ }).isChecked()).toBe(true);
    await screenshot(tab.page, 'admin-payment-diagnosis');
    await tab.page.getByRole('button', { name: 'Link customer' }).click();

    await tab.page.locator('#payment-summary .badge', { hasText: /^Attributed$/ }).waitFor();
    await tab.page.getByText('The customer is linked and this payment is attributed.').waitFor();
    const payment = await ok(api.paymentsGet({ client: co.client, path: { id: mismatch.payment.id } }));
    expect(payment.attribution).toMatchObject({ status: 'attributed', method: 'manual', leadId: mismatch.lead.id, partnerId });
    expect((await ok(api.leadsGet({ client: co.client, path: { id: mismatch.lead.id } }))).stripeCustomerId).toBe(mismatch.customer);
    await tab.page.locator('#history-payment').getByText('Payment attributed').first().waitFor();

    // a reload of a deep link shows the same page
    await tab.page.reload();
    await tab.page.locator('#payment-summary .badge', { hasText: /^Attributed$/ }).waitFor();
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('dashboard at 390 px: charts per currency, no sideways scrolling (screenshot)', async () => {
    const tab = await openTab(browser, ca.url, { width: 390, height: 844 });
    await signIn(tab, co.adminKey);
    await tab.page.locator('[data-ready]').waitFor();
    await tab.page.locator('#chart-usd canvas').first().waitFor();
    await tab.page.locator('#chart-jpy canvas').first().waitFor();
    await screenshot(tab.page, 'admin-dashboard-390');
    expect(await scrollsSideways(tab.page)).toBe(false);
    await tab.page.getByRole('button', { name: 'Menu' }).click();
    await tab.page.getByRole('link', { name: 'Payments', exact: true }).click();
    await tab.page.waitForURL(`${ca.url}/admin/payments`);
    await tab.page.locator('table').first().waitFor();
    expect(await scrollsSideways(tab.page)).toBe(false);
    await tab.page.setViewportSize({ width: 1280, height: 860 });
    await tab.page.goto('/admin');
    await tab.page.locator('#chart-usd canvas').first().waitFor();
    await screenshot(tab.page, 'admin-dashboard');
    await tab.context.close();
  });

  it('a write signed in by the cookie from another origin is refused (403); the console’s own writes pass', async () => {
    const tab = await openTab(browser, ca.url);
    await signIn(tab, co.adminKey);
    await tab.page.locator('[data-ready]').waitFor();
    // the emulator is another origin on the same host: the SameSite=Strict cookie still goes with the request
    await tab.page.goto(`${ca.stripe.url}/v3/`);
    // what the server received and answered (the browser then hides the answer from that page: CORP)
    const server = ca.app.app.getHttpServer() as import('node:http').Server;
    const seen = new Promise<{ origin?: string; cookie?: string; status: number }>((resolve) => {
      const listener = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
        if (!req.url?.endsWith('/login-link')) return;
        server.off('request', listener);
        res.on('finish', () => resolve({ origin: req.headers.origin, cookie: req.headers.cookie, status: res.statusCode }));
      };
      server.on('request', listener);
    });
    await tab.page.evaluate(async (url) => {
      await fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors' }).catch(() => undefined);
    }, `${ca.url}/v1/partners/${partnerId}/login-link`);
    expect(await seen).toEqual({ origin: ca.stripe.url, cookie: expect.stringContaining('pf_session='), status: 403 });
    const history = await ok(api.streamHistoryList({ client: co.client, path: { type: 'partner', id: partnerId } }));
    expect(history.data.map((e) => e.type)).not.toContain('PartnerLoginLinkIssued');

    await tab.page.goto('/admin');
    const own = await tab.page.evaluate(
      async (url) => (await fetch(url, { method: 'POST', credentials: 'same-origin' })).status,
      `/v1/partners/${partnerId}/login-link`,
    );
    expect(own).toBe(201);
    await eventually(async () =>
      expect((await ok(api.streamHistoryList({ client: co.client, path: { type: 'partner', id: partnerId } }))).data.map((e) => e.type)).toContain(
        'PartnerLoginLinkIssued',
      ),
    );
    await tab.context.close();
  });

  it('bulk link from pasted CSV: a result per row, good and bad rows side by side', async () => {
    const tab = await openTab(browser, ca.url);
    await signIn(tab, co.adminKey);
    await tab.page.getByRole('link', { name: 'Leads', exact: true }).click();
    const lead = await ok(api.leadsCreate({ client: co.client, body: { partnerId, email: 'bulk.one@customer.example' } }));
    await tab.page
      .getByLabel('Paste CSV: email or lead id, customer id')
      .fill(['email,customerId', `${lead.email},cus_Bulk1abc`, 'nobody@nowhere.example,cus_Bulk2abc', 'just-one-column'].join('\n'));
    await tab.page.getByRole('button', { name: 'Link customers' }).click();
    const results = tab.page.locator('#bulk-link .bulk-results');
    await results.getByText('1 of 3 rows linked.').waitFor();
    const rows = await results.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/Linked[\s\S]*ld_/);
    expect(rows[1]).toMatch(/Not linked[\s\S]*nobody@nowhere\.example/);
    expect(rows[2]).toMatch(/Not linked[\s\S]*two columns/);
    expect((await ok(api.leadsGet({ client: co.client, path: { id: lead.id } }))).stripeCustomerId).toBe('cus_Bulk1abc');
    await tab.context.close();
  });

  it('forms show the API’s problem next to the field it names; partner create, plan override and schedule save', async () => {
    const tab = await openTab(browser, ca.url);
    await signIn(tab, co.adminKey);
    await tab.page.getByRole('link', { name: 'Partners', exact: true }).click();
    const form = tab.page.locator('#new-partner');
    await form.getByLabel('Name').fill('Quinn Partner');
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Create partner' }).click();
    await form
      .locator('.field-invalid', { has: tab.page.getByLabel('Email') })
      .locator('.field-error')
      .waitFor();
    expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Email').fill('quinn@partner.example');
    await form.getByRole('button', { name: 'Create partner' }).click();
    await form.getByText(/was created\. Their API key is shown this once/).waitFor();
    expect(await form.locator('.secret code').innerText()).toMatch(/^pf_partner_/);

    await form.getByRole('link', { name: 'Quinn Partner' }).click();
    const plan = tab.page.locator('#plan-override');
    await plan.getByLabel('Plan').selectOption('own');
    await plan.getByLabel('Commission').selectOption('flat');
    await plan.getByLabel('Amount').fill('12.5');
    await plan.getByLabel('Currency').fill('eur');
    await plan.getByLabel('Applies to').selectOption('first');
    await plan.getByRole('button', { name: 'Save plan' }).click();
    await plan.getByText('Plan saved.').waitFor();
    const id = tab.page.url().split('/').pop()!;
    expect((await ok(api.partnersGet({ client: co.client, path: { id } }))).commissionPlan).toEqual({
      type: 'flat',
      amount: 1250,
      currency: 'eur',
      firstPaymentOnly: true,
    });

    await tab.page.getByRole('link', { name: 'Settings', exact: true }).click();
    const schedule = tab.page.locator('#schedule');
    await schedule.getByLabel('Day of the month').fill('31');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.locator('.field-error').first().waitFor();
    expect(await schedule.locator('.field-invalid label').innerText()).toBe('Day of the month');
    await schedule.getByLabel('Day of the month').fill('15');
    await schedule.getByLabel('Minimum payout (USD)').fill('25.00');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.getByText('Schedule saved.').waitFor();
    expect((await ok(api.companySettingsGet({ client: co.client }))).invoiceSchedule).toMatchObject({
      frequency: 'monthly',
      day: 15,
      holdDays: 0,
      minimumPayout: 2500,
    });
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('Sign out ends the session: the cookie is gone and /admin sends back to sign-in', async () => {
    const tab = await openTab(browser, ca.url);
    await signIn(tab, co.adminKey);
    await tab.page.locator('[data-ready]').waitFor();
    const token = (await tab.context.cookies()).find((c) => c.name === 'pf_session')!.value;
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await tab.page.waitForURL(`${ca.url}/`);
    await tab.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await tab.context.cookies()).find((c) => c.name === 'pf_session')).toBeUndefined();
    await tab.page.goto('/admin/payments');
    await tab.page.waitForURL(`${ca.url}/`);
    // the old token no longer works even if someone kept it
    const res = await fetch(`${ca.url}/v1/sessions/current`, { headers: { Cookie: `pf_session=${token}` } });
    expect(res.status).toBe(401);
    await tab.context.close();
  });
});
