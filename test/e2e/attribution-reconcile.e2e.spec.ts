import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders, startStripeEmulator, type StripeEmulator } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { ReconcileCron } from '../../src/attribution/commands/reconcile/reconcile.cron.js';
import { CompaniesQuery } from '../../src/companies/index.js';

const SECRET = 'whsec_reconcile_e2e';
const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);

describe('reconciliation with the company’s Stripe events', () => {
  let emulator: StripeEmulator;
  let app: RunningApp;
  let admin: Api;
  let send: ReturnType<typeof stripeWebhooks>;

  const stripeObjectIds = async () =>
    ((await admin.get('/v1/payments?limit=200').expect(200)).body.data as { stripeObjectId: string }[]).map((p) => p.stripeObjectId);
  /** Records a payment event in the company's Stripe account, as Stripe would before delivering it. */
  const paid = (created = now()) => emulator.recordEvent('invoice.paid', builders.invoicePaid({ created }).data.object, { created });

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    app = await startTestApp({ STRIPE_API_BASE: emulator.url });
    const { admin: a, company } = await newCompany(app, { name: 'Reconciled' });
    admin = a;
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET, apiKey: 'rk_test_reconcile' }).expect(200);
    send = stripeWebhooks(app, company.id, SECRET);
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });

  it('ingests exactly the event no webhook delivered, and nothing twice', async () => {
    const delivered = [paid(now() - 2 * DAY), paid(now() - DAY)];
    const missed = paid(now() - 3600);
    const expired = paid(now() - 31 * DAY);
    emulator.recordEvent('customer.created', { id: 'cus_1Ignored', object: 'customer' });
    for (const e of delivered) await send(e).expect(200);

    const first = await admin.post('/v1/company/stripe/reconcile', {}).expect(200);
    expect(first.body).toEqual({ scanned: 3, ingested: 1, alreadyKnown: 2 });
    const listed = emulator.requests.filter((r) => r.path === '/v1/events');
    expect(listed.at(-1)!.headers.authorization).toBe('Bearer rk_test_reconcile');
    expect(Number(listed.at(-1)!.params.created.gte)).toBeGreaterThanOrEqual(now() - 30 * DAY - 5);

    await eventually(async () => expect(await stripeObjectIds()).toEqual(expect.arrayContaining([...delivered, missed].map((e) => e.data.object.id))));
    expect(await stripeObjectIds()).not.toContain(expired.data.object.id);
    const again = await admin.post('/v1/company/stripe/reconcile', {}).expect(200);
    expect(again.body).toEqual({ scanned: 3, ingested: 0, alreadyKnown: 3 });
    await send(missed).expect(200).expect({ received: true, duplicate: true });
    expect((await stripeObjectIds()).filter((id) => id === missed.data.object.id)).toHaveLength(1);
  });

  it('pages through more events than one Stripe page', async () => {
    // Charges of invoices: listed and stored, then skipped by attribution, so the paging stays cheap.
    for (let i = 0; i < 101; i++)
      emulator.recordEvent('charge.succeeded', builders.chargeSucceeded({ invoice: `in_1Paged${i}` }).data.object, { created: now() - 600 });
    const res = await admin.post('/v1/company/stripe/reconcile', { since: new Date((now() - 1200) * 1000).toISOString() }).expect(200);
    expect(res.body).toEqual({ scanned: 101, ingested: 101, alreadyKnown: 0 });
    expect(emulator.requests.filter((r) => r.path === '/v1/events' && r.params.starting_after)).not.toHaveLength(0);
  });

  it('the daily job reconciles every company with a key, on the leader only', async () => {
    const late = paid(now() - 60);
    await expect(app.app.get(ReconcileCron).daily()).resolves.toBeGreaterThanOrEqual(1);
    await eventually(async () => expect(await stripeObjectIds()).toContain(late.data.object.id));
    let called = false;
    const follower = new ReconcileCron({ execute: async () => (called = true) } as never, app.app.get(CompaniesQuery), { held: false } as never, {} as never);
    await expect(follower.daily()).resolves.toBe(0);
    expect(called).toBe(false);
  });

  it('clear errors: no API key, a rejected key, a bad since', async () => {
    const { admin: noKey } = await newCompany(app, { name: 'No key' });
    await noKey.put('/v1/company/stripe', { webhookSecret: 'whsec_nokey' }).expect(200);
    const missing = await noKey.post('/v1/company/stripe/reconcile', {}).expect(409);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.body.code).toBe('stripe_api_key_missing');

    const { admin: liveKey } = await newCompany(app, { name: 'Live key' });
    await liveKey.put('/v1/company/stripe', { webhookSecret: 'whsec_live', apiKey: 'rk_live_notaccepted' }).expect(200);
    const rejected = await liveKey.post('/v1/company/stripe/reconcile', {}).expect(422);
    expect(rejected.body.code).toBe('stripe_api_key_rejected');
    expect(JSON.stringify(rejected.body)).not.toContain('rk_live_notaccepted');

    await admin.post('/v1/company/stripe/reconcile', { since: new Date((now() - 40 * DAY) * 1000).toISOString() }).expect(422);
    await admin.post('/v1/company/stripe/reconcile', { since: new Date((now() + DAY) * 1000).toISOString() }).expect(422);
    await admin.post('/v1/company/stripe/reconcile', { since: 'yesterday' }).expect(400);
  });

  it('Stripe unreachable: 503 stripe_unavailable, the status Pay answers too', async () => {
    emulator.injectFault({ pathPrefix: '/v1/events', status: 500, count: 10 });
    const res = await admin.post('/v1/company/stripe/reconcile', {}).expect(503);
    expect(res.body.code).toBe('stripe_unavailable');
    emulator.clearFaults();
  });
});
