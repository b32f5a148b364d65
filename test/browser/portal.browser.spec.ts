import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import * as api from '../../clients/typescript/src/index.js';
import { eventually } from '../support/eventually.js';
import { ok } from '../support/typed-client.js';
import { launchBrowser, openTab, screenshot } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';
import { addCardByApi, attributedPayment, generateInvoice, seedCompany, seedPartner, type SeededCompany } from './support/seed.js';

/**
 * A partner in a real browser: the one-time login link, earnings, Copy referral link, Save bank details,
 * Connect Stripe through the (emulated) hosted onboarding; then the admin sees the readiness checklist green.
 */
describe('partner portal', () => {
  let ca: ConsoleApp;
  let browser: Browser;
  let co: SeededCompany;
  let partner: Awaited<ReturnType<typeof seedPartner>>;
  let link: { url: string; expiresAt: string };

  beforeAll(async () => {
    [ca, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    co = await seedCompany(ca, 'Initech');
    partner = await seedPartner(co, { name: 'Lin Partner', currency: 'usd' });
    await addCardByApi(ca, co);
    await attributedPayment(co, partner.id, 25_000);
    const invoice = await generateInvoice(co, partner.id);
    await ok(api.invoiceLifecycleApprove({ client: co.client, path: { id: invoice.invoiceId } }));
    await ok(api.invoiceLifecycleMarkPaid({ client: co.client, path: { id: invoice.invoiceId }, body: { reference: 'SEPA-2026-001' } }));
    await attributedPayment(co, partner.id, 10_000);
    link = await ok(api.loginLinkCreate({ client: co.client, path: { id: partner.id } }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ca?.close();
  });

  it('login link → portal → Save bank details (masked) → Connect Stripe → payouts enabled; the admin’s readiness turns green', async () => {
    expect(link.url).toMatch(new RegExp(`^${ca.url}/portal/login\\?token=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    const tab = await openTab(browser, ca.url);
    const page = tab.page;
    await page.goto(link.url);
    await page.waitForURL(`${ca.url}/portal`);
    await page.getByRole('heading', { name: 'Welcome, Lin Partner' }).waitFor();

    // earnings per status: $50.00 paid (invoice marked paid), $20.00 payable
    const earnings = page.locator('#earnings');
    await expect(earnings.locator('.stat', { hasText: 'Paid' }).innerText()).resolves.toContain('$50.00');
    await expect(earnings.locator('.stat', { hasText: 'Payable' }).innerText()).resolves.toContain('$20.00');

    await page.getByRole('button', { name: 'Copy referral link' }).click();
    await page.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${ca.url}/r/${partner.referralKey}`);

    await page.getByLabel('Account holder').fill('Lin Partner');
    await page.getByLabel('Bank name').fill('Example Bank');
    await page.getByLabel('Country').fill('DE');
    await page.getByLabel('IBAN (optional)').fill('DE89370400440532013000');
    await page.getByRole('button', { name: 'Save bank details' }).click();
    await page.getByText('Bank details saved.').waitFor();
    await page.locator('#bank-details').getByText('••••3000').waitFor();
    expect(await page.locator('#bank-details').innerText()).not.toContain('DE89370400440532013000');

    await screenshot(page, 'portal-overview');
    await page.getByRole('button', { name: 'Connect Stripe' }).click();
    // the emulator's hosted onboarding completes the account and returns to the portal
    await page.waitForURL(`${ca.url}/portal/stripe/onboarding?result=return`);
    await page.getByText('Your Stripe account is connected and payouts are enabled.').waitFor();
    await page.getByRole('link', { name: 'Back to the overview' }).click();
    await page.locator('#payouts').getByText('Payouts enabled').waitFor();
    const account = ca.stripe.objects('accounts').find((a) => a.metadata?.partnerId === partner.id)!;
    expect(ca.forwarding.deliveries.find((d) => d.type === 'account.updated')).toMatchObject({ status: 200 });
    expect(tab.errors).toEqual([]);

    const admin = await openTab(browser, ca.url);
    await admin.page.goto('/');
    await admin.page.getByLabel('API key').fill(co.adminKey);
    await admin.page.getByRole('button', { name: 'Sign in' }).click();
    await admin.page.waitForURL(`${ca.url}/admin`);
    await admin.page.goto(`/admin/partners/${partner.id}`);
    await admin.page.locator('#readiness .badge', { hasText: 'Ready' }).waitFor();
    expect(await admin.page.locator('#readiness .check-fail').count()).toBe(0);
    const checks = (await ok(api.readinessGet({ client: co.client, path: { id: partner.id } }))).checks;
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(await admin.page.locator('#readiness .check-ok').count()).toBe(checks.length);
    await admin.page.locator('#partner-summary').getByText(`${account.id}, payouts enabled`).waitFor();
    await admin.page.locator('#history-partner').getByText('Partner login link issued').waitFor();
    await screenshot(admin.page, 'admin-partner-ready');
    await admin.context.close();
    await tab.context.close();
  });

  it('the login link works once: a second use shows why and how to get a new one', async () => {
    const tab = await openTab(browser, ca.url);
    await tab.page.goto(link.url);
    await tab.page.getByRole('heading', { name: 'This sign-in link does not work' }).waitFor();
    await tab.page
      .getByRole('alert')
      .getByText(/expired, was already used/)
      .waitFor();
    expect((await tab.context.cookies()).find((c) => c.name === 'pf_session')).toBeUndefined();
    await tab.context.close();
  });

  it('the partner sees only their own leads, commissions and invoices, with their documents', async () => {
    const other = await seedPartner(co, { name: 'Other Partner' });
    await attributedPayment(co, other.id, 9_900);
    const fresh = await ok(api.loginLinkCreate({ client: co.client, path: { id: partner.id } }));
    const tab = await openTab(browser, ca.url);
    await tab.page.goto(fresh.url);
    await tab.page.waitForURL(`${ca.url}/portal`);
    await tab.page.getByRole('link', { name: 'Leads', exact: true }).click();
    // the overview has tables of its own (the funnel): count on the leads page
    await tab.page.getByRole('heading', { name: 'Your leads' }).waitFor();
    await tab.page.locator('table tbody tr').nth(1).waitFor();
    await expect(tab.page.locator('table tbody tr').count()).resolves.toBe(2);
    await tab.page.getByRole('link', { name: 'Commissions', exact: true }).click();
    await tab.page.locator('.totals', { hasText: '$70.00' }).waitFor();
    await tab.page.getByRole('link', { name: 'Invoices', exact: true }).click();
    const docLink = tab.page.getByRole('link', { name: /^Document INV-/ });
    const doc = await tab.page.request.get((await docLink.getAttribute('href'))!);
    expect(doc.status()).toBe(200);
    expect(doc.headers()['content-type']).toBe('application/pdf');
    await eventually(async () => expect(tab.errors).toEqual([]));
    await tab.context.close();
  });
});
