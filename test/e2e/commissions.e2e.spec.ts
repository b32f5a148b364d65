import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, api, newCompany, OPERATOR_KEY, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders, PRE_BASIL_API_VERSION } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { MakePayableJob } from '../../src/commissions/commands/make-payable/make-payable.job.js';
import { attributedPayment, daysAgo, partner, publishRates, refund, DAY } from './commissions-support.js';

type Commission = { id: string; amount: number; currency: string; status: string; payableAt: string; plan: object; paymentId: string; kind: string };

describe('commissions over HTTP (payments appended as the Attribution module records them)', () => {
  let app: RunningApp;
  let admin: Api;
  let companyId: string;

  const commissionsOf = async (partnerId: string, n: number, query = ''): Promise<Commission[]> =>
    eventually(async () => {
      const res = await admin.get(`/v1/commissions?partnerId=${partnerId}${query}`).expect(200);
      expect(res.body.data).toHaveLength(n);
      return res.body.data;
    });

  beforeAll(async () => {
    app = await startTestApp();
    ({
      admin,
      company: { id: companyId },
    } = await newCompany(app, { name: 'Acme' }));
    await admin
      .patch('/v1/company', {
        commissionPlan: { type: 'percentage', percent: 20 },
        invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 30, minimumPayout: 0 },
      })
      .expect(200);
  });
  afterAll(() => app.close());

  it('20 % of an invoice with tax: percentage of the net, in the payment currency, pending for the hold period', async () => {
    const p = await partner(admin);
    const paidAt = daysAgo(2);
    const paymentId = await attributedPayment(app, companyId, { partnerId: p.id, amount: 12000, tax: 2000, currency: 'usd', paidAt });
    const [c] = await commissionsOf(p.id, 1);
    expect(c).toMatchObject({
      id: `cm_${paymentId}`,
      paymentId,
      amount: 2000,
      currency: 'usd',
      status: 'pending',
      kind: 'payment',
      plan: { type: 'percentage', percent: 20 },
    });
    expect(Date.parse(c!.payableAt)).toBe(Date.parse(paidAt) + 30 * DAY);
    const history = await app.store.readStream(`commission-${companyId}-${c!.id}`);
    expect(history.map((e) => e.type)).toEqual(['CommissionEarned']);
    expect(history[0]!.data).toMatchObject({ basis: { amount: 12000, tax: 2000, net: 10000, currency: 'usd' }, planSource: 'company', holdDays: 30 });
  });

  it('a redelivered attribution earns nothing twice', async () => {
    const p = await partner(admin);
    const paymentId = await attributedPayment(app, companyId, { partnerId: p.id, amount: 5000 });
    await commissionsOf(p.id, 1);
    const [, attributed] = await app.store.readStream(`payment-${companyId}-${paymentId}`);
    await app.store.append(`payment-${companyId}-${paymentId}`, [{ type: attributed!.type, data: attributed!.data }], 'any');
    await app.store.append(`payment-${companyId}-${paymentId}`, [{ type: 'Marker', data: { companyId } }], 'any');
    await eventually(async () => expect((await app.runner.status({ names: ['commission_earner'], checksum: false }))[0]!.lag).toBe(0));
    await commissionsOf(p.id, 1);
  });

  it('flat plan, and a partner override that wins over the company plan', async () => {
    const { admin: flatAdmin, company } = await newCompany(app, { name: 'Flat Co' });
    await flatAdmin.patch('/v1/company', { commissionPlan: { type: 'flat', amount: 500, currency: 'jpy' } }).expect(200);
    const plain = await partner(flatAdmin, { currency: 'jpy' });
    const special = await partner(flatAdmin, { currency: 'jpy', commissionPlan: { type: 'percentage', percent: 10 } });
    await attributedPayment(app, company.id, { partnerId: plain.id, amount: 9999, currency: 'jpy' });
    await attributedPayment(app, company.id, { partnerId: special.id, amount: 9999, currency: 'jpy' });
    await eventually(async () => {
      const res = await flatAdmin.get(`/v1/commissions?partnerId=${plain.id}`).expect(200);
      expect(res.body.data).toMatchObject([{ amount: 500, currency: 'jpy', plan: { type: 'flat', amount: 500, currency: 'jpy' } }]);
    });
    const override = await eventually(async () => {
      const res = await flatAdmin.get(`/v1/commissions?partnerId=${special.id}`).expect(200);
      expect(res.body.data).toHaveLength(1);
      return res.body.data;
    });
    expect(override).toMatchObject([{ amount: 1000, currency: 'jpy', plan: { type: 'percentage', percent: 10 } }]); // 999.9 yen → 1000
  });

  it('a plan edit applies to later payments only', async () => {
    const p = await partner(admin, { commissionPlan: { type: 'percentage', percent: 10 } });
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, leadId: 'ld_edit_1' });
    await commissionsOf(p.id, 1);
    await admin.patch(`/v1/partners/${p.id}`, { commissionPlan: { type: 'percentage', percent: 30 } }).expect(200);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, leadId: 'ld_edit_2' });
    const both = await commissionsOf(p.id, 2);
    expect(both.map((c) => c.amount)).toEqual([1000, 3000]);
  });

  it('first N months: payments within durationMonths of the lead’s first payment earn, later ones do not', async () => {
    const p = await partner(admin, { commissionPlan: { type: 'percentage', percent: 20, durationMonths: 2 } });
    const leadId = 'ld_duration';
    await attributedPayment(app, companyId, { partnerId: p.id, leadId, amount: 1000, paidAt: daysAgo(100) });
    await attributedPayment(app, companyId, { partnerId: p.id, leadId, amount: 2000, paidAt: daysAgo(60) });
    await attributedPayment(app, companyId, { partnerId: p.id, leadId, amount: 4000, paidAt: daysAgo(20) });
    await eventually(async () => expect((await app.store.readStream(`leadcommissions-${companyId}-${leadId}`)).length).toBe(3));
    const earned = await commissionsOf(p.id, 2);
    expect(earned.map((c) => c.amount)).toEqual([200, 400]);
    const counted = await app.store.readStream(`leadcommissions-${companyId}-${leadId}`);
    expect(counted.map((e) => (e.data as { skipped: string | null }).skipped)).toEqual([null, null, 'outside_duration']);
  });

  it('first payment only', async () => {
    const p = await partner(admin, { commissionPlan: { type: 'flat', amount: 700, currency: 'usd', firstPaymentOnly: true } });
    await attributedPayment(app, companyId, { partnerId: p.id, leadId: 'ld_first', amount: 1000, paidAt: daysAgo(10) });
    await attributedPayment(app, companyId, { partnerId: p.id, leadId: 'ld_first', amount: 1000, paidAt: daysAgo(5) });
    await eventually(async () => expect((await app.store.readStream(`leadcommissions-${companyId}-ld_first`)).length).toBe(2));
    expect((await commissionsOf(p.id, 1)).map((c) => c.amount)).toEqual([700]);
  });

  it('partial refunds reduce the commission proportionally, cumulatively, down to reversed', async () => {
    const p = await partner(admin);
    const paymentId = await attributedPayment(app, companyId, { partnerId: p.id, amount: 12000, tax: 2000 });
    await commissionsOf(p.id, 1);
    await refund(app, companyId, paymentId, { amount: 3000, refundedTotal: 3000 });
    await eventually(async () => expect((await commissionsOf(p.id, 1))[0]).toMatchObject({ amount: 1500, status: 'pending' }));
    await refund(app, companyId, paymentId, { amount: 9000, refundedTotal: 12000, reason: 'dispute_lost' });
    await eventually(async () => expect((await commissionsOf(p.id, 1))[0]).toMatchObject({ amount: 0, status: 'reversed' }));
    await eventually(async () => {
      const balance = await admin.get(`/v1/partners/${p.id}/balance`).expect(200);
      expect(balance.body.balances).toEqual([{ currency: 'usd', pending: 0, payable: 0, invoiced: 0, paid: 0, converted: 0 }]);
    });
  });

  it('a refund before a retroactive attribution reduces the commission at once', async () => {
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, refundedAmount: 2500 });
    await eventually(async () => expect((await commissionsOf(p.id, 1))[0]).toMatchObject({ amount: 1500 }));
  });

  it('hold period: pending until paidAt + holdDays, reads derive payable, the job records it', async () => {
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, paidAt: daysAgo(31) });
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 20000, paidAt: daysAgo(29) });
    const [old, recent] = await commissionsOf(p.id, 2);
    expect(old!.status).toBe('payable');
    expect(recent!.status).toBe('pending');
    expect((await admin.get(`/v1/commissions?partnerId=${p.id}&status=payable`).expect(200)).body.data.map((c: Commission) => c.id)).toEqual([old!.id]);
    expect((await admin.get(`/v1/commissions?partnerId=${p.id}&status=pending`).expect(200)).body.data.map((c: Commission) => c.id)).toEqual([recent!.id]);
    await eventually(async () => {
      const balance = await admin.get(`/v1/partners/${p.id}/balance`).expect(200);
      expect(balance.body.balances).toEqual([{ currency: 'usd', pending: 4000, payable: 2000, invoiced: 0, paid: 0, converted: 0 }]);
    });

    const job = app.app.get(MakePayableJob);
    await job.run(new Date());
    const events = await app.store.readStream(`commission-${companyId}-${old!.id}`);
    expect(events.map((e) => e.type)).toEqual(['CommissionEarned', 'CommissionBecamePayable']);
    expect((await app.store.readStream(`commission-${companyId}-${recent!.id}`)).map((e) => e.type)).toEqual(['CommissionEarned']);
    await job.run(new Date(Date.now() + 2 * DAY));
    expect((await app.store.readStream(`commission-${companyId}-${recent!.id}`)).map((e) => e.type)).toEqual(['CommissionEarned', 'CommissionBecamePayable']);
  });

  it('balance as of a past date comes from the ledger', async () => {
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, paidAt: daysAgo(40) });
    await commissionsOf(p.id, 1);
    const before = new Date(Date.now() - 60_000).toISOString();
    expect((await admin.get(`/v1/partners/${p.id}/balance?asOf=${before}`).expect(200)).body).toMatchObject({ asOf: before, balances: [] });
    await eventually(async () => {
      const now = await admin.get(`/v1/partners/${p.id}/balance`).expect(200);
      expect(now.body.balances).toEqual([{ currency: 'usd', pending: 0, payable: 2000, invoiced: 0, paid: 0, converted: 0 }]);
    });
    await admin.get(`/v1/partners/${p.id}/balance?asOf=yesterday`).expect(400);
  });

  it('shows totals in the display currency with the rate used, or says which rate is missing', async () => {
    const { admin: eurAdmin, company } = await newCompany(app, { name: 'Euro Co', currency: 'eur' });
    const p = await partner(eurAdmin);
    await attributedPayment(app, company.id, { partnerId: p.id, amount: 10000, currency: 'usd' });
    await attributedPayment(app, company.id, { partnerId: p.id, amount: 5000, currency: 'eur' });
    const missing = await eventually(async () => {
      const res = await eurAdmin.get(`/v1/commissions?partnerId=${p.id}`).expect(200);
      expect(res.body.data).toHaveLength(2);
      return res.body;
    });
    expect(missing).toMatchObject({
      totals: [
        { currency: 'eur', amount: 1000 },
        { currency: 'usd', amount: 2000 },
      ],
      display: null,
      displayError: expect.stringContaining('usd→eur'),
    });
    await publishRates(app, { base: 'usd', asOf: daysAgo(3).slice(0, 10), rates: { EUR: 0.9234 }, source: 'ecb' });
    const shown = await eurAdmin.get(`/v1/commissions?partnerId=${p.id}`).expect(200);
    expect(shown.body.display).toMatchObject({
      currency: 'eur',
      amount: 1000 + 1847,
      rates: [{ from: 'usd', to: 'eur', rate: '0.9234', source: 'ecb', inverted: false }],
    });
    await eventually(async () => {
      const balance = await eurAdmin.get(`/v1/partners/${p.id}/balance`).expect(200);
      expect(balance.body.display).toMatchObject({ currency: 'eur', pending: 1000 + 1847, payable: 0 });
    });
  });

  it('portal: a partner sees only its own commissions; admins of other companies get 404', async () => {
    const mine = await partner(admin);
    const theirs = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: mine.id, amount: 1000 });
    await attributedPayment(app, companyId, { partnerId: theirs.id, amount: 1000 });
    const [c] = await commissionsOf(mine.id, 1);
    await commissionsOf(theirs.id, 1);
    const portal = await api(app, mine.partnerApiKey).get('/v1/portal/commissions').expect(200);
    expect(portal.body.data.map((x: Commission) => x.id)).toEqual([c!.id]);
    await api(app, mine.partnerApiKey).get('/v1/commissions').expect(403);
    const { admin: other } = await newCompany(app, { name: 'Other' });
    await other.get(`/v1/commissions/${c!.id}`).expect(404);
    await other.get(`/v1/partners/${mine.id}/balance`).expect(404);
    expect((await other.get(`/v1/commissions?partnerId=${mine.id}`).expect(200)).body.data).toEqual([]);
    await admin.get('/v1/commissions?status=nope').expect(400);
    const notServed = (r: { status: number }) => expect([400, 404]).toContain(r.status);
    for (const junk of ['%00', 'x'.repeat(300), 'a%20b']) {
      await admin.get(`/v1/commissions/${junk}`).expect(notServed);
      await admin.get(`/v1/partners/${junk}/balance`).expect(notServed);
    }
  });

  it('rejects a plan that is not an object, for the company and for a partner', async () => {
    const refused = (r: { status: number }) => expect([400, 422]).toContain(r.status);
    const res = await admin.patch('/v1/company', { commissionPlan: [] }).expect(refused);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('commissionPlan');
    expect((await admin.get('/v1/company').expect(200)).body.commissionPlan).toEqual({ type: 'percentage', percent: 20 });
    await admin.post('/v1/partners', { name: 'x', email: 'x@x.co', currency: 'usd', commissionPlan: [{ type: 'flat' }] }).expect(refused);
  });

  it('paginates with a cursor and totals every page', async () => {
    const p = await partner(admin);
    for (let i = 0; i < 3; i++) await attributedPayment(app, companyId, { partnerId: p.id, amount: 1000 * (i + 1), leadId: `ld_page_${i}` });
    await commissionsOf(p.id, 3);
    const first = await admin.get(`/v1/commissions?partnerId=${p.id}&limit=2`).expect(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.totals).toEqual([{ currency: 'usd', amount: 1200 }]);
    const second = await admin.get(`/v1/commissions?partnerId=${p.id}&limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body).toMatchObject({ nextCursor: null, data: [{ amount: 600 }] });
  });
});

describe('FX rates over HTTP', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('stores rates with source and date; the lookup takes the latest at or before the date, direct or inverse', async () => {
    await publishRates(app, { base: 'USD', asOf: '2025-03-01', rates: { EUR: 0.9, JPY: 150 } });
    const later = await publishRates(app, { base: 'usd', asOf: '2025-03-10', rates: { eur: 0.95 }, source: 'ecb' });
    expect(later.body).toMatchObject({ base: 'usd', asOf: '2025-03-10T00:00:00.000Z', source: 'ecb', rates: { eur: '0.95' } });
    const op = api(app, OPERATOR_KEY);
    expect((await op.get('/v1/fx-rates?from=usd&to=eur&at=2025-03-09').expect(200)).body).toMatchObject({
      base: 'usd',
      quote: 'eur',
      rate: '0.9',
      source: 'manual',
      asOf: '2025-03-01T00:00:00.000Z',
    });
    expect((await op.get('/v1/fx-rates?from=usd&to=eur&at=2025-03-10').expect(200)).body).toMatchObject({ rate: '0.95', source: 'ecb' });
    expect((await op.get('/v1/fx-rates?from=JPY&to=USD&at=2025-04-01').expect(200)).body).toMatchObject({ base: 'usd', quote: 'jpy', rate: '150' });
    const missing = await op.get('/v1/fx-rates?from=usd&to=eur&at=2025-02-28').expect(422);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ code: 'fx_rate_missing', from: 'usd', to: 'eur' });
    await op.get('/v1/fx-rates?from=usd&to=gbp&at=2025-04-01').expect(422);
    expect((await op.get('/v1/fx-rates?from=usd&to=USD&at=2025-04-01').expect(422)).body.errors[0].field).toBe('to');
    await op.get('/v1/fx-rates?from=usd&to=eur&at=soon').expect(400);
    expect((await op.get('/v1/fx-rates?from=usd&to=eur&at=not-a-date').expect(422)).body.errors[0].field).toBe('at');
  });

  it.each([
    ['unknown quote', { base: 'usd', asOf: '2025-03-01', rates: { zzz: 1 } }, 422],
    ['zero rate', { base: 'usd', asOf: '2025-03-01', rates: { eur: 0 } }, 422],
    ['bad date', { base: 'usd', asOf: '03/01/2025', rates: { eur: 1 } }, 400],
    ['rates not an object', { base: 'usd', asOf: '2025-03-01', rates: 5 }, 400],
    ['extra field', { base: 'usd', asOf: '2025-03-01', rates: { eur: 1 }, hack: 1 }, 400],
  ])('rejects %s', async (_label, body, status) => {
    const res = await api(app, OPERATOR_KEY).put('/v1/fx-rates', body).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('is an operator route', async () => {
    const { admin } = await newCompany(app, { name: 'x' });
    await admin.put('/v1/fx-rates', { base: 'usd', asOf: '2025-03-01', rates: { eur: 1 } }).expect(403);
  });
});

describe('commissions from real Stripe webhooks', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('invoice.paid with tax earns 20 % of the net; charge.refunded reduces it proportionally', async () => {
    const { admin, company } = await newCompany(app, { name: 'Hooked' });
    await admin.put('/v1/company/stripe', { webhookSecret: 'whsec_commissions_e2e' }).expect(200);
    const send = stripeWebhooks(app, company.id, 'whsec_commissions_e2e');
    const p = await partner(admin);
    await admin.post('/v1/leads', { partnerId: p.id, email: 'buyer@shop.test', stripeCustomerId: 'cus_1Buyer' }).expect(201);
    await send(
      builders.invoicePaid({
        amount: 12000,
        tax: 2000,
        customer: 'cus_1Buyer',
        charge: 'ch_1Buyer',
        paymentIntent: 'pi_1Buyer',
        apiVersion: PRE_BASIL_API_VERSION,
      }),
    ).expect(200);
    const [c] = await eventually(async () => {
      const res = await admin.get(`/v1/commissions?partnerId=${p.id}`).expect(200);
      expect(res.body.data).toHaveLength(1);
      return res.body.data as Commission[];
    });
    expect(c).toMatchObject({ amount: 2000, currency: 'usd', status: 'pending' });
    await send(
      builders.chargeRefunded({ id: 'ch_1Buyer', amount: 12000, amountRefunded: 6000, paymentIntent: 'pi_1Buyer', apiVersion: PRE_BASIL_API_VERSION }),
    ).expect(200);
    await eventually(async () => expect((await admin.get(`/v1/commissions/${c!.id}`).expect(200)).body).toMatchObject({ amount: 1000, reversedAmount: 1000 }));
  });
});
