import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { startStripeEmulator, type StripeEmulator } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { EsdbSemanticsServer } from '../../libs/event-store/testing/esdb-semantics/esdb-semantics-server.js';
import { PayoutRecovery } from '../../src/payouts/reactors/payout-recovery.job.js';
import { addCard, approvedInvoice, paymentIntentsOf, payoutTenant, registerPlatformEndpoints, type Tenant } from './payouts-support.js';

/**
 * Pay on the ESDB-semantics store, whose appends can be made to fail before or after they are written (a lost
 * answer): each of Pay's decisions is one append to the invoice's stream, so whatever was written, Pay again or the
 * recovery job ends with one PaymentIntent and the invoice paid once.
 */
describe('Pay when the event store fails around its appends (ESDB semantics)', () => {
  const server = new EsdbSemanticsServer();
  let stripe: StripeEmulator;
  let app: RunningApp;
  let t: Tenant;

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    app = await startTestApp(
      { STRIPE_API_BASE: stripe.url, STRIPE_SECRET_KEY: 'sk_test_platform', PUBLIC_URL: 'https://partners.example' },
      { esdbSemantics: server },
    );
    registerPlatformEndpoints(app, stripe);
    t = await payoutTenant(app, stripe, 'Crashes');
    await addCard(t);
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
  });

  const stream = (invoiceId: string) => `invoice-${t.companyId}-${invoiceId}`;
  const types = async (invoiceId: string) => (await app.store.readStream(stream(invoiceId))).map((e) => e.type);
  const status = async (invoiceId: string) => (await t.admin.get(`/v1/invoices/${invoiceId}`).expect(200)).body.status as string;

  // Pay's own appends to the invoice stream, in order: the attempt started, then prepared. (A crash after Stripe charged, before it was recorded, is payouts.e2e's.)
  const cases: [string, number, 'before' | 'after'][] = [
    ['InvoicePaymentStarted written, its answer lost', 0, 'after'],
    ['PayoutAttemptPrepared not written', 1, 'before'],
    ['PayoutAttemptPrepared written, its answer lost', 1, 'after'],
  ];

  it.each(cases)('%s: Pay again is refused, recovery pays once, nothing doubled', async (_label, nth, point) => {
    const inv = await approvedInvoice(t);
    let seen = 0;
    server.failAppend((name) => name === stream(inv.invoiceId) && seen++ === nth, point);
    const first = await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`);
    expect(seen).toBeGreaterThan(nth);
    // Whatever the first call answered, the attempt it started is the only one.
    if (first.status !== 200) expect(first.status).toBeGreaterThanOrEqual(500);
    expect((await t.admin.post(`/v1/invoices/${inv.invoiceId}/pay`).expect(409)).body.code).toMatch(/^(payment_in_progress|invalid_invoice_transition)$/);
    await eventually(async () => {
      await app.app.get(PayoutRecovery).run(0);
      expect(await status(inv.invoiceId)).toBe('paid');
    });
    expect(paymentIntentsOf(stripe, inv.invoiceId)).toHaveLength(1);
    const events = await types(inv.invoiceId);
    for (const type of ['InvoicePaymentStarted', 'PayoutAttemptPrepared', 'InvoicePaymentIntentCreated', 'InvoicePaid'])
      expect(events.filter((e) => e === type)).toHaveLength(1);
  });
});
