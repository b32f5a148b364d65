import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import * as api from '../../clients/typescript/src/index.js';
import { eventually } from '../support/eventually.js';
import { ok } from '../support/typed-client.js';
import { launchBrowser, openTab, screenshot, seriousViolations, type Tab } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';
import { attributedPayment, seedCompany, stripeInvoicePaid, type SeededCompany } from './support/seed.js';

/**
 * Commission review in a real browser (SPEC §11): under manual review every commission waits; the page shows each
 * commission's status and fraud flags, and "Approve selected" / "Decline selected" (with a reason) review the ticked rows,
 * one result per row.
 */
describe('admin console: commission review', () => {
  let ca: ConsoleApp;
  let browser: Browser;
  let co: SeededCompany;
  let tab: Tab;
  const ids: Record<'flagged' | 'plain' | 'third', string> = { flagged: '', plain: '', third: '' };

  const row = (id: string) => tab.page.locator('tr', { has: tab.page.getByLabel(`Select commission ${id}`) });
  const statusOf = async (id: string) => (await ok(api.commissionsGet({ client: co.client, path: { id } }))).status;

  beforeAll(async () => {
    [ca, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    co = await seedCompany(ca, 'Initech');
    await ok(api.companySettingsUpdate({ client: co.client, body: { commissionReview: 'manual' } }));
    const self = await ok(api.partnersCreate({ client: co.client, body: { name: 'Sam Self', email: 'sam@selfdeal.example', currency: 'usd' } }));
    await ok(api.leadsCreate({ client: co.client, body: { partnerId: self.id, email: 'boss@selfdeal.example', stripeCustomerId: 'cus_SelfDeal1' } }));
    await stripeInvoicePaid(co, { customer: 'cus_SelfDeal1', email: 'boss@selfdeal.example', amount: 10_000 });
    const honest = await ok(api.partnersCreate({ client: co.client, body: { name: 'Hana Honest', email: 'hana@honest.example', currency: 'usd' } }));
    await attributedPayment(co, honest.id, 20_000);
    await attributedPayment(co, honest.id, 30_000);
    const all = await eventually(async () => {
      const page = await ok(api.commissionsList({ client: co.client, query: { status: 'pending_review' } }));
      expect(page.data).toHaveLength(3);
      return page.data;
    });
    ids.flagged = all.find((c) => c.partnerId === self.id)!.id;
    [ids.plain, ids.third] = all.filter((c) => c.partnerId === honest.id).map((c) => c.id) as [string, string];
    tab = await openTab(browser, ca.url);
    await tab.page.goto('/');
    await tab.page.getByLabel('API key').fill(co.adminKey);
    await tab.page.getByRole('button', { name: 'Sign in' }).click();
    await tab.page.waitForURL(`${ca.url}/admin`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ca?.close();
  });

  it('shows the status and the fraud flags of each commission, and the bulk actions only once something is selected', async () => {
    await tab.page.getByRole('link', { name: 'Commissions' }).click();
    await row(ids.flagged).getByText('self_referral').waitFor();
    await expect(row(ids.flagged).getByText("shares the partner's domain selfdeal.example").count()).resolves.toBe(1);
    await expect(row(ids.plain).getByText('In review').count()).resolves.toBe(1);
    await expect(tab.page.getByRole('button', { name: 'Approve selected' }).isDisabled()).resolves.toBe(true);
    await expect(tab.page.getByRole('button', { name: 'Decline selected' }).isDisabled()).resolves.toBe(true);
    expect(await seriousViolations(tab.page)).toEqual([]);
  });

  it('"Approve selected" approves the ticked rows', async () => {
    await tab.page.getByLabel(`Select commission ${ids.plain}`).check();
    await tab.page.getByLabel(`Select commission ${ids.third}`).check();
    await tab.page.getByRole('button', { name: 'Approve selected' }).click();
    await tab.page.getByText('2 of 2 reviewed.').waitFor();
    await row(ids.plain).getByText('Payable').waitFor();
    await row(ids.third).getByText('Payable').waitFor();
    expect([await statusOf(ids.plain), await statusOf(ids.third), await statusOf(ids.flagged)]).toEqual(['payable', 'payable', 'pending_review']);
  });

  it('"Decline selected" asks a reason, then declines; a row that cannot be reviewed says why without stopping the others', async () => {
    await tab.page.getByLabel(`Select commission ${ids.flagged}`).check();
    await tab.page.getByRole('button', { name: 'Decline selected' }).click();
    const confirm = tab.page.getByRole('button', { name: 'Decline 1' });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await tab.page.getByLabel('Decline reason').fill('self-referral through a company colleague');
    await confirm.click();
    await tab.page.getByText('1 of 1 reviewed.').waitFor();
    await row(ids.flagged).getByText('Declined: self-referral through a company colleague').waitFor();
    expect(await statusOf(ids.flagged)).toBe('declined');

    await tab.page.getByLabel(`Select commission ${ids.flagged}`).check();
    await tab.page.getByLabel(`Select commission ${ids.plain}`).check();
    await tab.page.getByRole('button', { name: 'Approve selected' }).click();
    await tab.page.getByText('1 of 2 reviewed.').waitFor();
    // the row's error names its commission once
    const failure = tab.page.getByRole('status').getByRole('listitem');
    await failure.waitFor();
    expect(await failure.textContent()).toMatch(new RegExp(`^commission ${ids.flagged} was declined \\(`));
    expect(await statusOf(ids.flagged)).toBe('declined');
    await screenshot(tab.page, 'admin-commission-review');
    expect(tab.errors).toEqual([]);
  });

  it('Settings: the review mode and the refund rate threshold', async () => {
    await tab.page.getByRole('link', { name: 'Settings' }).click();
    const card = tab.page.locator('#review');
    await expect(card.getByLabel('New commissions').inputValue()).resolves.toBe('manual');
    await card.getByLabel('New commissions').selectOption('auto');
    await card.getByLabel('Refund rate threshold (%)').fill('25');
    await card.getByRole('button', { name: 'Save review' }).click();
    await card.getByText('Review settings saved.').waitFor();
    expect(await ok(api.companySettingsGet({ client: co.client }))).toMatchObject({ commissionReview: 'auto', fraud: { refundRateThreshold: 0.25 } });
    expect(await seriousViolations(tab.page)).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});
