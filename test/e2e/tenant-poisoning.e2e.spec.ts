import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { builders, type StripeEvent } from '../stripe-emulator/index.js';
import { api, newCompany, OPERATOR_KEY, startTestApp, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { eventCounter, quiesce } from '../support/quiesce.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { stripeEventReceived, stripeEventStream } from '../../src/attribution/domain/stripe-event.js';
import { companyStream } from '../../src/companies/domain/company.js';

type Company = { companyId: string; admin: Api; partnerId: string; customerId: string; send: ReturnType<typeof stripeWebhooks> };
type Payment = { id: string; stripeObjectId: string; attribution: { status: string } };

const token = () => randomBytes(6).toString('hex');
const YEAR_0 = -62_167_219_200;
const YEAR_10000 = 253_402_300_800;
const BIG = 2 ** 53 - 1;
/** An event of the builders with fields of its object (or of the event itself) replaced. */
const poisoned = (event: StripeEvent, object: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  ...event,
  ...top,
  data: { object: { ...event.data.object, ...object } },
});

/**
 * One tenant signs its own events (it sets its webhook secret) and edits its own plan: nothing it sends may stop
 * or slow another tenant's attribution or commissions. Refused at the door; and what gets past it (stored by
 * an older version, or a bug) is parked, so the other tenants' payments still go through.
 */
describe('a tenant cannot stop attribution or commissions of another', () => {
  let app: RunningApp;
  let attacker: Company;
  let victim: Company;
  const operator = () => api(app, OPERATOR_KEY);

  async function company(name: string): Promise<Company> {
    const { company: c, admin } = await newCompany(app, { name });
    const secret = `whsec_${token()}`;
    await admin.put('/v1/company/stripe', { webhookSecret: secret }).expect(200);
    const partner = (await admin.post('/v1/partners', { name: `${name} partner`, email: `${token()}@partner.example`, currency: 'usd' }).expect(201)).body as {
      id: string;
    };
    const customerId = `cus_${token()}`;
    await admin.post('/v1/leads', { partnerId: partner.id, email: `${token()}@customer.example`, stripeCustomerId: customerId }).expect(201);
    return { companyId: c.id, admin, partnerId: partner.id, customerId, send: stripeWebhooks(app, c.id, secret) };
  }

  /** The victim's next payment is attributed to its partner and earns a commission. */
  async function victimStillPaid(): Promise<void> {
    const paid = builders.invoicePaid({ customer: victim.customerId, amount: 10_000 });
    await victim.send(paid).expect(200);
    await eventually(
      async () => {
        const payment = ((await victim.admin.get('/v1/payments?limit=200').expect(200)).body.data as Payment[]).find(
          (p) => p.stripeObjectId === paid.data.object.id,
        );
        expect(payment?.attribution.status).toBe('attributed');
        const commissions = (await victim.admin.get(`/v1/commissions?partnerId=${victim.partnerId}`).expect(200)).body.data as {
          paymentId: string;
          amount: number;
        }[];
        expect(commissions.find((c) => c.paymentId === payment!.id)).toMatchObject({ amount: 2_000 });
      },
      { timeoutMs: 20_000 },
    );
  }

  beforeAll(async () => {
    app = await startTestApp();
    attacker = await company('Attacker');
    victim = await company('Victim');
    await victimStillPaid();
  }, 60_000);
  afterAll(() => app?.close());

  const attackerInvoice = () => builders.invoicePaid({ customer: attacker.customerId, amount: 5_000 });
  it.each([
    ['created in year 0', 'created', () => poisoned(attackerInvoice(), {}, { created: YEAR_0 })],
    ['created in year 10000', 'created', () => poisoned(attackerInvoice(), {}, { created: YEAR_10000 })],
    ['created = 2^53-1', 'created', () => poisoned(attackerInvoice(), {}, { created: BIG })],
    ['paid_at in year 10000', 'data.object.status_transitions.paid_at', () => poisoned(attackerInvoice(), { status_transitions: { paid_at: YEAR_10000 } })],
    ['a 6 KB customer id', 'data.object.customer', () => poisoned(attackerInvoice(), { customer: `cus_${randomBytes(3_000).toString('hex')}` })],
    [
      'a 6 KB charge id',
      'data.object.id',
      () => poisoned(builders.chargeSucceeded({ customer: attacker.customerId, amount: 5_000 }), { id: `ch_${randomBytes(3_000).toString('hex')}` }),
    ],
    ['amount_paid = 2^53-1', 'data.object.amount_paid', () => poisoned(attackerInvoice(), { amount_paid: BIG })],
    ['a signature dated 10 minutes ahead', null, () => attackerInvoice()],
  ])('a signed event with %s is refused (400 problem naming the field), nothing stored; the other tenant is still paid', async (_, field, make) => {
    const counter = eventCounter(app.databaseUrl);
    try {
      const before = await counter.count();
      const res = await attacker.send(make(), field ? {} : { timestamp: Math.floor(Date.now() / 1000) + 600 }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (field) expect(res.body).toMatchObject({ status: 400, code: 'invalid_payload', errors: [{ field }] });
      else expect(res.body.detail).toMatch(/tolerance/);
      expect(await counter.count()).toBe(before);
    } finally {
      await counter.close();
    }
    await victimStillPaid();
  });

  it('a flat plan amount of 1e308 (or above Stripe’s 99999999) is refused through the admin API', async () => {
    for (const amount of [1e308, 100_000_000]) {
      await attacker.admin.patch('/v1/company', { commissionPlan: { type: 'flat', amount, currency: 'usd' } }).expect(400);
      await attacker.admin.patch(`/v1/partners/${attacker.partnerId}`, { commissionPlan: { type: 'flat', amount, currency: 'usd' } }).expect(400);
    }
    await attacker.admin.patch('/v1/company', { commissionPlan: { type: 'flat', amount: 99_999_999, currency: 'usd' } }).expect(200);
    await attacker.admin.patch('/v1/company', { commissionPlan: { type: 'percentage', percent: 20 } }).expect(200);
    await victimStillPaid();
  });

  it('what gets past the door anyway is parked per subscriber; the other tenant is attributed and commissioned; the operator sees it and can skip it; a rebuild parks it again', async () => {
    // As if stored before these checks existed: a 6 KB customer id (breaks the payments index) and a 1e308 flat plan.
    const huge = poisoned(attackerInvoice(), { customer: `cus_${randomBytes(3_000).toString('hex')}` });
    await app.store.append(stripeEventStream(attacker.companyId, huge.id), [stripeEventReceived(attacker.companyId, huge, 'webhook')], 'no_stream');
    await app.store.append(
      companyStream(attacker.companyId),
      [{ type: 'CompanySettingsChanged', data: { companyId: attacker.companyId, commissionPlan: { type: 'flat', amount: 1e308, currency: 'usd' } } }],
      'any',
    );
    await attacker.send(attackerInvoice()).expect(200);
    await victimStillPaid();
    await quiesce(app);

    const statuses = (await operator().get('/v1/admin/projections?checksum=false').expect(200)).body.data as {
      name: string;
      status: string;
      parked: number;
      lastError: string | null;
      lag: number;
    }[];
    const byName = new Map(statuses.map((s) => [s.name, s]));
    // the payment's later events (its attribution) wait behind its parked PaymentRecorded
    expect(byName.get('payments')).toMatchObject({ status: 'failed', parked: 2, lag: 0 });
    expect(byName.get('commission_earner')).toMatchObject({ status: 'failed', parked: 1, lag: 0 });
    expect(byName.get('commission_earner')!.lastError).toMatch(/PaymentAttributed/);
    expect(statuses.filter((s) => !['payments', 'commission_earner'].includes(s.name) && s.status !== 'running')).toEqual([]);
    const health = await api(app).get('/health').expect(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      projections: { failed: expect.arrayContaining(['payments', 'commission_earner']), parked: { payments: 2, commission_earner: 1 } },
    });

    const parked = (await operator().get('/v1/admin/parked-events').expect(200)).body.data as {
      id: string;
      subscriber: string;
      status: string;
      error: string;
    }[];
    expect(parked.map((p) => [p.subscriber, p.status]).sort()).toEqual([
      ['commission_earner', 'parked'],
      ['payments', 'parked'],
      ['payments', 'waiting'],
    ]);
    expect(parked.find((p) => p.subscriber === 'payments' && p.status === 'parked')!.error).toMatch(/index row size|exceeds/);
    // a retry before the fix fails again; the plan fixed, it goes through
    const earner = parked.find((p) => p.subscriber === 'commission_earner')!;
    expect((await operator().post(`/v1/admin/parked-events/${earner.id}/retry`).expect(200)).body).toMatchObject({ status: 'parked', attempts: 2 });
    await attacker.admin.patch('/v1/company', { commissionPlan: { type: 'flat', amount: 500, currency: 'usd' } }).expect(200);
    expect((await operator().post(`/v1/admin/parked-events/${earner.id}/retry`).expect(200)).body).toMatchObject({ status: 'resolved' });
    await operator().post(`/v1/admin/parked-events/${earner.id}/skip`).expect(409);

    // a rebuild of the payments read model does not stop at the event: it parks it again, the victim's payments are there
    await operator()
      .post('/v1/admin/projections/rebuild', { names: ['payments'] })
      .expect(202);
    await app.runner.whenRebuilt(['payments'], 30_000);
    const [rebuilt] = await app.runner.status({ names: ['payments'], checksum: false });
    expect(rebuilt).toMatchObject({ status: 'failed', parked: 2, lag: 0 });
    expect(
      ((await victim.admin.get('/v1/payments?limit=200').expect(200)).body.data as Payment[]).filter((p) => p.attribution.status === 'attributed').length,
    ).toBeGreaterThanOrEqual(10);
    const [again] = (await operator().get('/v1/admin/parked-events?subscriber=payments&status=parked').expect(200)).body.data as { id: string }[];
    expect((await operator().post(`/v1/admin/parked-events/${again!.id}/skip`).expect(200)).body).toMatchObject({ status: 'skipped' });
    expect((await api(app).get('/health').expect(200)).body).toMatchObject({ status: 'ok', projections: { failed: [], parked: {} } });
    await victimStillPaid();
  }, 90_000);
});
