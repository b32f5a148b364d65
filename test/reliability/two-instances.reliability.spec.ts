import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { builders, signWebhookPayload, startStripeEmulator, type StripeEmulator, type StripeEvent } from '../stripe-emulator/index.js';
import { OPERATOR_KEY } from '../support/app.js';
import { call, ensureBuilt, leaderOf, startAppProcess, type AppProcess } from '../support/app-process.js';
import { createTestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { duplicateEffects } from './invariants.js';

const COMPANY_SECRET = 'whsec_two_instances';
const CONNECT_SECRET = 'whsec_two_connect';
const PLATFORM_SECRET = 'whsec_two_platform';
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Two `node dist/src/main.js` processes on one database, as a two-instance deployment: one leader runs
 * projections, reactors and jobs; writes through either are projected; SIGKILL the leader and the
 * other takes over; no effect happens twice (payments, commissions, invoices, charges).
 */
describe('two app processes on one database', () => {
  let stripe: StripeEmulator;
  let databaseUrl: string;
  let db: pg.Client;
  const procs: AppProcess[] = [];
  const byName = (name: string | undefined) => procs.find((p) => p.name === name && p.child.exitCode === null && p.child.signalCode === null)!;
  let one: AppProcess;
  let two: AppProcess;
  let admin: string;
  let companyId: string;
  const partners: { id: string; key: string; customer: string }[] = [];
  const events: StripeEvent[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    stripe = await startStripeEmulator();
    databaseUrl = await createTestDatabase('pf_two');
    const env = {
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: 'sk_test_two',
      STRIPE_WEBHOOK_SECRET: PLATFORM_SECRET,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      PUBLIC_URL: 'https://partners.example',
    };
    // Started one after the other: both run migrations on the same empty database otherwise.
    one = await startAppProcess('pf-one', databaseUrl, env);
    two = await startAppProcess('pf-two', databaseUrl, env);
    procs.push(one, two);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  }, 300_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    await db?.end();
    await stripe?.close();
  });
  afterEach(() => stripe.clearFaults());

  const deliver = (p: AppProcess, e: StripeEvent) => {
    const body = JSON.stringify(e);
    return call(p.url, 'POST', `/v1/webhooks/stripe/${companyId}`, undefined, body, {
      'Content-Type': 'application/json',
      'Stripe-Signature': signWebhookPayload(body, COMPANY_SECRET),
    });
  };
  const platform = (p: AppProcess, e: StripeEvent) => {
    const body = JSON.stringify(e);
    // As Stripe routes them: a connected account's event to the Connect endpoint, the platform's own to the account endpoint.
    const [path, secret] = e.account ? ['/v1/webhooks/stripe-connect', CONNECT_SECRET] : ['/v1/webhooks/stripe-platform', PLATFORM_SECRET];
    return call(p.url, 'POST', path, undefined, body, { 'Content-Type': 'application/json', 'Stripe-Signature': signWebhookPayload(body, secret) });
  };
  const paymentsSeenBy = async (p: AppProcess) =>
    ((await call(p.url, 'GET', '/v1/payments?limit=200', admin)).json?.data ?? []) as { stripeObjectId: string; attribution: { status: string } }[];

  it('exactly one process holds the leader lock, and keeps holding it', async () => {
    const leader = await eventually(async () => {
      const name = await leaderOf(db);
      expect(['pf-one', 'pf-two']).toContain(name);
      return name;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await leaderOf(db)).toBe(leader);
  });

  it('writes through either process are projected and read back from both; duplicates delivered to both count once', async () => {
    const company = await call(one.url, 'POST', '/v1/companies', OPERATOR_KEY, { name: 'Twins' });
    expect(company.status).toBe(201);
    ({ adminApiKey: admin, id: companyId } = company.json);
    expect((await call(two.url, 'PUT', '/v1/company/stripe', admin, { webhookSecret: COMPANY_SECRET })).status).toBe(200);
    expect(
      (await call(one.url, 'PATCH', '/v1/company', admin, { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 } })).status,
    ).toBe(200);
    for (const [i, p] of [one, two].entries()) {
      const partner = await call(p.url, 'POST', '/v1/partners', admin, { name: `P${i}`, email: `p${i}@affiliates-twins.example`, currency: 'usd' });
      expect(partner.status).toBe(201);
      const customer = `cus_twin${i}${randomBytes(4).toString('hex')}`;
      // The answer waited for the read model although the follower wrote it: the leader projected it.
      expect(
        (
          await call([two, one][i]!.url, 'POST', '/v1/leads', admin, {
            partnerId: partner.json.id,
            email: `buyer${i}@twins.example`,
            stripeCustomerId: customer,
          })
        ).status,
      ).toBe(201);
      partners.push({ id: partner.json.id, key: partner.json.partnerApiKey, customer });
    }
    events.push(...Array.from({ length: 60 }, (_, i) => builders.invoicePaid({ customer: partners[i % 2]!.customer, amount: 1000 + i })));
    const first = await Promise.all(events.map((e, i) => deliver([one, two][i % 2]!, e)));
    const again = await Promise.all(events.slice(0, 20).map((e, i) => deliver([two, one][i % 2]!, e)));
    expect(first.map((r) => r.status)).toEqual(events.map(() => 200));
    expect(again.map((r) => r.json)).toEqual(events.slice(0, 20).map(() => ({ received: true, duplicate: true })));

    const all = events.map((e) => e.data.object.id).sort();
    for (const p of [one, two]) {
      await eventually(async () => expect((await paymentsSeenBy(p)).map((x) => x.stripeObjectId).sort()).toEqual(all), { timeoutMs: 30_000 });
    }
    await eventually(async () => expect(((await call(two.url, 'GET', '/v1/commissions?limit=200', admin)).json?.data ?? []).length).toBe(60), {
      timeoutMs: 30_000,
    });
    expect(await duplicateEffects(db)).toEqual([]);
  }, 90_000);

  it('invoice runs on both at once make one invoice per partner; Pay on both under Stripe faults makes one PaymentIntent', async () => {
    const runs = await Promise.all([one, two, one, two].map((p) => call(p.url, 'POST', '/v1/invoices/generate', admin, { periodEnd: today() })));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const invoices = (await call(one.url, 'GET', '/v1/invoices?limit=200', admin)).json.data as { id: string; partnerId: string; status: string }[];
    expect(invoices.map((i) => i.partnerId).sort()).toEqual(partners.map((p) => p.id).sort());

    // A card for the company and an onboarded account for the first partner, through both processes.
    const setup = await call(one.url, 'POST', '/v1/company/payment-method/setup-intent', admin);
    expect(setup.status).toBe(201);
    expect((await platform(two, stripe.succeedSetupIntent(String(setup.json.clientSecret).split('_secret_')[0]!, 'pm_card_visa'))).status).toBe(200);
    expect((await call(two.url, 'POST', '/v1/portal/stripe/onboarding-link', partners[0]!.key)).status).toBe(201);
    const account = stripe.objects('accounts').find((x) => x.metadata?.partnerId === partners[0]!.id)!;
    expect((await platform(one, stripe.completeAccountOnboarding(account.id))).status).toBe(200);
    await eventually(
      async () => {
        const readiness = (await call(two.url, 'GET', `/v1/partners/${partners[0]!.id}/payout-readiness`, admin)).json;
        expect(readiness.checks.filter((c: { id: string; ok: boolean }) => /card|account|onboard/i.test(c.id) && !c.ok)).toEqual([]);
      },
      { timeoutMs: 20_000 },
    );

    const invoice = invoices.find((i) => i.partnerId === partners[0]!.id)!;
    expect((await call(two.url, 'POST', `/v1/invoices/${invoice.id}/approve`, admin)).status).toBe(200);
    stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 500, count: 1 });
    stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 429, code: 'lock_timeout', count: 2 });
    stripe.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', delayMs: 1500, count: 1 });
    const pays = await Promise.all([one, two, one, two, one, two].map((p) => call(p.url, 'POST', `/v1/invoices/${invoice.id}/pay`, admin)));
    expect(pays.every((r) => [200, 409, 503].includes(r.status))).toBe(true);
    await eventually(async () => expect((await call(one.url, 'GET', `/v1/invoices/${invoice.id}`, admin)).json.status).toBe('paid'), { timeoutMs: 30_000 });
    const intents = stripe.objects('payment_intents').filter((pi) => pi.metadata?.invoiceId === invoice.id);
    expect(intents.map((pi) => pi.status)).toEqual(['succeeded']);
    const creates = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.params.metadata?.invoiceId === invoice.id);
    expect(creates.length).toBeGreaterThanOrEqual(4); // the 500, two 429s and the delayed success were all met
    expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await duplicateEffects(db)).toEqual([]);
  }, 90_000);

  it('SIGKILL the leader: the other takes the lock within seconds and projects new writes; the restarted one follows', async () => {
    const leader = byName(await leaderOf(db));
    const survivor = procs.find((p) => p !== leader && p.child.exitCode === null)!;
    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    await eventually(async () => expect(await leaderOf(db)).toBe(survivor.name), { timeoutMs: 10_000, intervalMs: 50 });
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(5_000);

    const later = Array.from({ length: 10 }, (_, i) => builders.invoicePaid({ customer: partners[i % 2]!.customer, amount: 5000 + i }));
    expect((await Promise.all(later.map((e) => deliver(survivor, e)))).map((r) => r.status)).toEqual(later.map(() => 200));
    events.push(...later);
    await eventually(async () => expect((await paymentsSeenBy(survivor)).length).toBe(events.length), { timeoutMs: 30_000 });

    const restarted = await startAppProcess(leader.name, databaseUrl, {
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: 'sk_test_two',
      STRIPE_WEBHOOK_SECRET: PLATFORM_SECRET,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
    });
    procs.push(restarted);
    const more = builders.invoicePaid({ customer: partners[0]!.customer, amount: 7777 });
    expect((await deliver(restarted, more)).status).toBe(200);
    events.push(more);
    await eventually(async () => expect((await paymentsSeenBy(restarted)).length).toBe(events.length), { timeoutMs: 30_000 });
    expect(await leaderOf(db)).toBe(survivor.name);
    await eventually(async () => expect(((await call(restarted.url, 'GET', '/v1/commissions?limit=200', admin)).json?.data ?? []).length).toBe(events.length), {
      timeoutMs: 30_000,
    });
    expect(await duplicateEffects(db)).toEqual([]);
  }, 120_000);
});
