import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import * as api from '../../clients/typescript/src/index.js';
import { eventually } from '../support/eventually.js';
import { ok } from '../support/typed-client.js';
import { launchBrowser, openTab, screenshot, type Tab } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';
import { attributedPayment, seedCompany, seedPartner, today, type SeededCompany } from './support/seed.js';

/**
 * Payment Settings and Pay in a real browser: a card saved with (the stand-in of) Stripe.js, Generate
 * invoices → Approve → Pay → Stripe's platform webhook → paid; a card that declines → payment failed →
 * a new card → Pay again.
 */
describe('admin console: card, invoices and Pay', () => {
  let ca: ConsoleApp;
  let browser: Browser;
  let co: SeededCompany;
  let tab: Tab;

  /** A partner whose Express account is onboarded (account.updated forwarded to the platform webhook). */
  async function onboardedPartner(name: string) {
    const partner = await seedPartner(co, { name, currency: 'eur' });
    await ok(api.onboardingLinkCreate({ client: partner.portal(ca.url) }));
    const account = ca.stripe.objects('accounts').find((a) => a.metadata?.partnerId === partner.id)!;
    ca.stripe.completeAccountOnboarding(account.id);
    await eventually(async () => expect((await ok(api.partnersGet({ client: co.client, path: { id: partner.id } }))).stripeAccount?.payoutsEnabled).toBe(true));
    return partner;
  }

  beforeAll(async () => {
    [ca, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    co = await seedCompany(ca, 'Globex');
    await ok(api.fxRatesPublish({ client: ca.operator, body: { base: 'usd', asOf: today(), rates: { eur: 0.9 } } }));
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

  async function saveCard(number: string, label: 'Add card' | 'Replace card') {
    await tab.page.getByRole('link', { name: 'Settings' }).click();
    await tab.page.getByRole('button', { name: label }).click();
    await tab.page.getByLabel('Card number').fill(number);
    await tab.page.getByRole('button', { name: 'Save card' }).click();
    await tab.page.getByText('The card is saved.').waitFor();
  }

  /** Generate invoices for the period ending today, open the partner's new invoice, Approve it. */
  async function generateAndApprove(partnerName: string): Promise<string> {
    await tab.page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await tab.page.getByLabel('Period end (optional)').fill(today());
    await tab.page.getByRole('button', { name: 'Generate invoices' }).click();
    const created = tab.page.locator('#generate li', { hasText: partnerName });
    await created.getByRole('link').first().click();
    await tab.page.getByRole('button', { name: 'Approve' }).click();
    await tab.page.locator('#invoice-summary .badge', { hasText: 'Approved' }).waitFor();
    return tab.page.url().split('/').pop()!;
  }

  it('saves a card with Stripe.js: confirmCardSetup against the emulator, setup_intent.succeeded through the webhook', async () => {
    await saveCard('4242 4242 4242 4242', 'Add card');
    await tab.page.locator('#card').getByText('visa ending 4242').waitFor();
    const card = await ok(api.paymentMethodGet({ client: co.client }));
    expect(card).toMatchObject({ brand: 'visa', last4: '4242' });
    const intent = ca.stripe.objects('setup_intents').find((s) => s.payment_method === card.id)!;
    expect(intent).toMatchObject({ status: 'succeeded', usage: 'off_session' });
    // confirmed from the page, with the publishable key and the client secret, as Stripe.js does
    const confirm = ca.stripe.requests.find((r) => r.path === `/v1/setup_intents/${intent.id}/confirm`)!;
    expect(confirm.headers.authorization).toBeUndefined();
    expect(confirm.headers.origin).toBe(ca.url);
    expect(ca.forwarding.deliveries.find((d) => d.type === 'setup_intent.succeeded')).toMatchObject({ status: 200 });
    expect(tab.errors).toEqual([]);
  });

  it('Generate invoices → Approve → Pay → platform webhook → paid; the document opens', async () => {
    const partner = await onboardedPartner('Ada Partner');
    await attributedPayment(co, partner.id, 20_000, 'usd');
    const invoiceId = await generateAndApprove('Ada Partner');
    await tab.page.getByRole('button', { name: 'Pay' }).click();
    await tab.page.locator('#invoice-summary .badge', { hasText: 'Paid' }).waitFor();
    const invoice = await ok(api.invoicesGet({ client: co.client, path: { id: invoiceId } }));
    expect(invoice).toMatchObject({ status: 'paid', currency: 'eur', total: 3_600 });
    const intent = ca.stripe.objects('payment_intents').find((pi) => pi.metadata?.invoiceId === invoiceId)!;
    expect(intent).toMatchObject({ amount: 3_600, currency: 'eur', status: 'succeeded' });
    await eventually(async () => expect(ca.forwarding.deliveries.find((d) => d.type === 'payment_intent.succeeded' && d.status === 200)).toBeDefined());
    await eventually(async () =>
      expect((await ok(api.streamHistoryList({ client: co.client, path: { type: 'invoice', id: invoiceId } }))).data.map((e) => e.type)).toContain(
        'InvoicePaid',
      ),
    );
    await tab.page.locator('#history-invoice').getByText('Invoice paid').waitFor();
    await screenshot(tab.page, 'admin-invoice-paid');

    const href = await tab.page.getByRole('link', { name: 'Open document' }).getAttribute('href');
    const doc = await tab.page.request.get(href!);
    expect(doc.status()).toBe(200);
    expect(doc.headers()['content-type']).toBe('application/pdf');
  });

  it('a card that declines: Pay → payment failed with the reason → a new card → Pay again → paid', async () => {
    await saveCard('4000 0000 0000 0341', 'Replace card');
    await tab.page.locator('#card').getByText('visa ending 0341').waitFor();
    const partner = await onboardedPartner('Grace Partner');
    await attributedPayment(co, partner.id, 10_000, 'usd');
    const invoiceId = await generateAndApprove('Grace Partner');

    await tab.page.getByRole('button', { name: 'Pay' }).click();
    await tab.page.locator('#invoice-summary .badge', { hasText: 'Payment failed' }).waitFor();
    await tab.page.getByRole('alert').filter({ hasText: 'declined' }).waitFor();
    await screenshot(tab.page, 'admin-invoice-payment-failed');

    await saveCard('4242424242424242', 'Replace card');
    await tab.page.goto(`/admin/invoices/${invoiceId}`);
    await tab.page.getByRole('button', { name: 'Pay' }).click();
    await tab.page.locator('#invoice-summary .badge', { hasText: 'Paid' }).waitFor();
    expect(
      ca.stripe
        .objects('payment_intents')
        .filter((pi) => pi.metadata?.invoiceId === invoiceId)
        .map((pi) => [pi.metadata.attempt, pi.status]),
    ).toEqual([
      ['1', 'requires_payment_method'],
      ['2', 'succeeded'],
    ]);
    expect(tab.errors).toEqual([]);
  });

  it('a card Stripe declines at setup shows Stripe’s message and saves nothing', async () => {
    const before = await ok(api.paymentMethodGet({ client: co.client }));
    await tab.page.getByRole('link', { name: 'Settings' }).click();
    await tab.page.getByRole('button', { name: 'Replace card' }).click();
    await tab.page.getByLabel('Card number').fill('4000000000000002');
    await tab.page.getByRole('button', { name: 'Save card' }).click();
    await tab.page.getByRole('alert').filter({ hasText: 'Your card was declined.' }).waitFor();
    expect(await ok(api.paymentMethodGet({ client: co.client }))).toEqual(before);
  });
});
