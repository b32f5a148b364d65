import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { builders, signWebhookPayload, startStripeEmulator, type StripeEmulator, type StripeEvent } from '../stripe-emulator/index.js';
import { OPERATOR_KEY } from '../support/app.js';
import { call, ensureBuilt, leaderOf, startAppProcess, type AppProcess } from '../support/app-process.js';
import { createTestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { duplicateEffects } from './invariants.js';

const SECRET = 'whsec_roles_reliability';
const PAYMENTS = 400;
const DUPLICATES = 100;
const CONCURRENCY = 16;

/**
 * SPEC §13 deployed as 2 ROLE=web + 2 ROLE=worker processes on one database: the webs acknowledge every
 * delivery, only a worker ever holds the leader lock, and a SIGKILL of the leading worker in the middle of
 * its batches loses and doubles nothing (payments, commissions, the ledger); the other worker takes over.
 */
describe('2 web + 2 worker processes on one database, the leading worker SIGKILLed mid-batch', () => {
  let stripe: StripeEmulator;
  let databaseUrl: string;
  let db: pg.Client;
  const webs: AppProcess[] = [];
  const workers: AppProcess[] = [];
  let admin: string;
  let companyId: string;
  const customers: string[] = [];
  const env = (role: string) => ({ ROLE: role, STRIPE_API_BASE: stripe.url, STRIPE_SECRET_KEY: 'sk_test_roles' });

  beforeAll(async () => {
    await ensureBuilt();
    stripe = await startStripeEmulator();
    databaseUrl = await createTestDatabase('pf_roles');
    // one after the other: migrations on an empty database otherwise race
    for (const name of ['pf-worker-1', 'pf-worker-2']) workers.push(await startAppProcess(name, databaseUrl, env('worker')));
    for (const name of ['pf-web-1', 'pf-web-2']) webs.push(await startAppProcess(name, databaseUrl, env('web')));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  }, 300_000);
  afterAll(async () => {
    await Promise.all([...webs, ...workers].map((p) => p.stop('SIGKILL')));
    await db?.end();
    await stripe?.close();
  });

  const deliver = (web: AppProcess, e: StripeEvent) => {
    const body = JSON.stringify(e);
    return call(web.url, 'POST', `/v1/webhooks/stripe/${companyId}`, undefined, body, {
      'Content-Type': 'application/json',
      'Stripe-Signature': signWebhookPayload(body, SECRET),
    });
  };
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
  const alive = (p: AppProcess) => p.child.exitCode === null && p.child.signalCode === null;

  it('the webs answer the API and serve no background work; a worker leads', async () => {
    const company = await call(webs[0]!.url, 'POST', '/v1/companies', OPERATOR_KEY, { name: 'Roles' });
    expect(company.status).toBe(201);
    ({ adminApiKey: admin, id: companyId } = company.json);
    expect((await call(webs[1]!.url, 'PUT', '/v1/company/stripe', admin, { webhookSecret: SECRET })).status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const partner = await call(webs[i % 2]!.url, 'POST', '/v1/partners', admin, { name: `P${i}`, email: `p${i}@roles.example`, currency: 'usd' });
      expect(partner.status).toBe(201);
      const customer = `cus_roles${i}${randomBytes(4).toString('hex')}`;
      expect(
        (
          await call(webs[(i + 1) % 2]!.url, 'POST', '/v1/leads', admin, {
            partnerId: partner.json.id,
            email: `b${i}@roles.example`,
            stripeCustomerId: customer,
          })
        ).status,
      ).toBe(201);
      customers.push(customer);
    }
    expect(['pf-worker-1', 'pf-worker-2']).toContain(await leaderOf(db));
    for (const w of workers) expect((await call(w.url, 'GET', '/v1/partners', admin)).status).toBe(404);
    for (const w of webs) expect((await call(w.url, 'GET', '/health/ready')).json).toMatchObject({ status: 'ready', role: 'web', runner: 'not_run_here' });
  }, 60_000);

  it('SIGKILL of the leading worker mid-batch: every acknowledged delivery makes one payment and one commission, nothing twice', async () => {
    const events = Array.from({ length: PAYMENTS }, (_, i) => builders.invoicePaid({ customer: customers[i % customers.length]!, amount: 1000 + i }));
    const sends = [...events, ...events.slice(0, DUPLICATES)];
    const statuses: number[] = [];
    let next = 0;
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, lane) => {
        while (next < sends.length) {
          const i = next++;
          statuses[i] = (await deliver(webs[lane % 2]!, sends[i]!)).status;
        }
      }),
    );
    // the leader is killed while it is applying pages: some payments projected, most still to come
    const name = await eventually(async () => {
      const n = await leaderOf(db);
      expect(n).toMatch(/^pf-worker-/);
      return n!;
    });
    const victim = workers.find((w) => w.name === name)!;
    await eventually(async () => expect(await count('select count(*) as n from payments')).toBeGreaterThanOrEqual(40), { timeoutMs: 60_000, intervalMs: 10 });
    const projectedAtKill = await count('select count(*) as n from payments');
    await victim.stop('SIGKILL');
    const survivor = workers.find((w) => w !== victim)!;
    await eventually(async () => expect(await leaderOf(db)).toBe(survivor.name), { timeoutMs: 15_000, intervalMs: 50 });
    await load;
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(projectedAtKill).toBeLessThan(PAYMENTS);
    console.info(`killed ${victim.name} with ${projectedAtKill} of ${PAYMENTS} payments projected; ${survivor.name} took over`);

    // the killed worker comes back as the standby; the survivor keeps the lock
    workers[workers.indexOf(victim)] = await startAppProcess(victim.name, databaseUrl, env('worker'));
    await eventually(async () => expect(await count('select count(*) as n from payments')).toBe(PAYMENTS), { timeoutMs: 120_000, intervalMs: 200 });
    await eventually(async () => expect(await count(`select count(*) as n from commissions where kind <> 'reversal'`)).toBe(PAYMENTS), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    const payments = await call(webs[1]!.url, 'GET', '/v1/payments?limit=1', admin);
    expect(payments.status).toBe(200);
    expect(await count(`select count(*) as n from es_events where type = 'StripeEventReceived'`)).toBe(PAYMENTS);
    expect(await duplicateEffects(db)).toEqual([]);
    expect(await leaderOf(db)).toBe(survivor.name);
    expect(webs.every(alive)).toBe(true);
  }, 300_000);
});
