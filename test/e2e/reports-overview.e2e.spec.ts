import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import * as client from '../../clients/typescript/src/index.js';
import { api, startTestApp, newCompany, OPERATOR_KEY, type Api } from '../support/app.js';
import { builders } from '../stripe-emulator/index.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { eventually } from '../support/eventually.js';
import { ok, typedClient } from '../support/typed-client.js';
import type { RunningApp } from '../../src/bootstrap.js';

const day = (iso: string) => Math.floor(Date.parse(`${iso}T12:00:00Z`) / 1000);

/** GET /v1/reports/overview: the dashboard's figures, per period and currency, for the caller's company only. */
describe('reports overview', () => {
  let app: RunningApp;
  let admin: Api;
  let adminKey: string;

  beforeAll(async () => {
    app = await startTestApp();
    const co = await newCompany(app, { name: 'Acme' });
    ({ admin } = co);
    adminKey = co.company.adminApiKey;
    const secret = 'whsec_reports';
    await admin.put('/v1/company/stripe', { webhookSecret: secret }).expect(200);
    await admin.patch('/v1/company', { invoiceSchedule: { frequency: 'weekly', day: 1, holdDays: 0, minimumPayout: 0 } }).expect(200);
    const partner = (await admin.post('/v1/partners', { name: 'Pat', email: 'pat@partner.example', currency: 'usd' }).expect(201)).body;
    const send = stripeWebhooks(app, co.company.id, secret);
    const paid = [
      ['cus_a', '2025-03-03', 10_000, 'usd'],
      ['cus_a', '2025-03-03', 5_000, 'usd'],
      ['cus_b', '2025-03-05', 3_000, 'jpy'],
      ['cus_a', '2025-03-12', 2_000, 'usd'],
      ['cus_b', '2025-04-01', 1_000, 'kwd'],
    ] as const;
    for (const c of ['cus_a', 'cus_b'])
      await admin.post('/v1/leads', { partnerId: partner.id, email: `${c}@customer.example`, stripeCustomerId: c }).expect(201);
    for (const [customer, date, amount, currency] of paid)
      await send(builders.invoicePaid({ customer, email: `${customer}@customer.example`, amount, currency, created: day(date) })).expect(200);
    await send(
      builders.invoicePaid({ customer: 'cus_nobody', email: 'nobody@else.example', amount: 99_999, currency: 'usd', created: day('2025-03-03') }),
    ).expect(200);
    await eventually(async () => expect((await admin.get('/v1/commissions').expect(200)).body.data).toHaveLength(5));
    await eventually(async () => expect((await admin.get('/v1/payments?attribution=unattributed').expect(200)).body.data).toHaveLength(1));
    // another tenant's payments never show
    const other = await newCompany(app, { name: 'Other' });
    await other.admin.put('/v1/company/stripe', { webhookSecret: 'whsec_other' }).expect(200);
    const otherPartner = (await other.admin.post('/v1/partners', { name: 'O', email: 'o@partner.example', currency: 'usd' }).expect(201)).body;
    await other.admin.post('/v1/leads', { partnerId: otherPartner.id, email: 'x@customer.example', stripeCustomerId: 'cus_x' }).expect(201);
    await stripeWebhooks(
      app,
      other.company.id,
      'whsec_other',
    )(builders.invoicePaid({ customer: 'cus_x', amount: 777_777, currency: 'usd', created: day('2025-03-03') })).expect(200);
  });
  afterAll(() => app?.close());

  it('per day, through the typed client: every day of the window, revenue (net) and commissions per currency', async () => {
    const o = await ok(client.overviewGet({ client: typedClient(app.url, adminKey), query: { from: '2025-03-01', to: '2025-03-31', interval: 'day' } }));
    expect(o.data).toHaveLength(31);
    expect(o.data[0]).toEqual({ periodStart: '2025-03-01', revenue: [], commissions: [] });
    expect(o.data.find((p) => p.periodStart === '2025-03-03')).toEqual({
      periodStart: '2025-03-03',
      revenue: [{ currency: 'usd', amount: 15_000 }],
      commissions: [{ currency: 'usd', amount: 3_000 }],
    });
    expect(o.data.find((p) => p.periodStart === '2025-03-05')).toEqual({
      periodStart: '2025-03-05',
      revenue: [{ currency: 'jpy', amount: 3_000 }],
      commissions: [{ currency: 'jpy', amount: 600 }],
    });
    expect(o.totals).toEqual({
      revenue: [
        { currency: 'jpy', amount: 3_000 },
        { currency: 'usd', amount: 17_000 },
      ],
      commissions: [
        { currency: 'jpy', amount: 600 },
        { currency: 'usd', amount: 3_400 },
      ],
    });
    expect(o.unattributedPayments).toBe(1);
    expect(o.invoices).toEqual({ pendingApproval: 0, approved: 0, paymentFailed: 0 });
    expect(o.nextInvoiceRun.at).toMatch(/T00:00:00\.000Z$/);
    expect(new Date(o.nextInvoiceRun.at).getUTCDay()).toBe(1);
  });

  it('per week (Monday starts) and per month; a three-decimal currency keeps its minor units', async () => {
    const weeks = (await admin.get('/v1/reports/overview?from=2025-03-01&to=2025-03-16&interval=week').expect(200)).body;
    expect(weeks.data.map((p: { periodStart: string }) => p.periodStart)).toEqual(['2025-02-24', '2025-03-03', '2025-03-10']);
    expect(weeks.data[1].revenue).toEqual([
      { currency: 'jpy', amount: 3_000 },
      { currency: 'usd', amount: 15_000 },
    ]);
    const months = (await admin.get('/v1/reports/overview?from=2025-01-15&to=2025-04-30&interval=month').expect(200)).body;
    expect(months.data.map((p: { periodStart: string }) => p.periodStart)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']);
    expect(months.data[3]).toEqual({
      periodStart: '2025-04-01',
      revenue: [{ currency: 'kwd', amount: 1_000 }],
      commissions: [{ currency: 'kwd', amount: 200 }],
    });
  });

  it('counts invoices waiting for an admin', async () => {
    await api(app, OPERATOR_KEY)
      .put('/v1/fx-rates', { base: 'usd', asOf: '2025-04-06', rates: { jpy: 150, kwd: 0.31 } })
      .expect(200);
    const run = await admin.post('/v1/invoices/generate', { periodEnd: '2025-04-06' }).expect(200);
    expect(run.body).toMatchObject({ created: [expect.anything()], skipped: [] });
    const o = (await admin.get('/v1/reports/overview').expect(200)).body;
    expect(o.invoices.pendingApproval).toBe(run.body.created.length);
  });

  it.each([
    ['from after to', '?from=2025-03-10&to=2025-03-01', 422, 'from'],
    ['a day that does not exist', '?from=2025-02-30', 422, 'from'],
    ['not a date', '?to=yesterday', 400, 'to'],
    ['an unknown interval', '?interval=hour', 400, 'interval'],
    ['more than 400 periods', '?from=2020-01-01&to=2025-01-01&interval=day', 422, 'from'],
    ['an unknown parameter', '?companyId=co_other', 400, 'companyId'],
  ])('refuses %s, naming the field', async (_label, query, status, field) => {
    const res = await admin.get(`/v1/reports/overview${query}`).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
