import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { PDFParse } from 'pdf-parse';
import { startTestApp, api, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { InvoiceRunCron } from '../../src/invoicing/commands/generate-invoices/invoice-run.cron.js';
import { attributedPayment, daysAgo, partner, publishRates, refund, today } from './commissions-support.js';

type Line = {
  commissionId: string;
  amount: number;
  currency: string;
  fxRate: string | null;
  fxAsOf: string | null;
  fxSource: string | null;
  convertedAmount: number;
};
type Invoice = {
  id: string;
  partnerId: string;
  number: string;
  status: string;
  currency: string;
  total: number;
  lines: Line[];
  periodStart: string;
  periodEnd: string;
  paidReference: string | null;
};

describe('invoicing over HTTP', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp();
    await publishRates(app, { base: 'usd', asOf: daysAgo(5).slice(0, 10), rates: { eur: 0.9234 }, source: 'ecb' });
  });
  afterAll(() => app.close());

  /** A company whose commissions are payable at once, with a partner and its earned commissions. */
  async function tenant(o: { minimumPayout?: number; name?: string } = {}) {
    const { admin, company } = await newCompany(app, { name: o.name ?? 'Acme' });
    await admin
      .patch('/v1/company', {
        commissionPlan: { type: 'percentage', percent: 20 },
        invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: o.minimumPayout ?? 0 },
      })
      .expect(200);
    return { admin, companyId: company.id };
  }
  const earned = (admin: Api, partnerId: string, n: number) =>
    eventually(async () => {
      const res = await admin.get(`/v1/commissions?partnerId=${partnerId}`).expect(200);
      expect(res.body.data).toHaveLength(n);
      return res.body.data as { id: string; amount: number; status: string }[];
    });
  const generate = (admin: Api, periodEnd = today()) => admin.post('/v1/invoices/generate', { periodEnd }).expect(200);
  const invoicesOf = async (admin: Api, partnerId: string): Promise<Invoice[]> =>
    (await admin.get(`/v1/invoices?partnerId=${partnerId}`).expect(200)).body.data;

  it('EUR partner with USD payments: one EUR invoice, each line converted at the recorded rate', async () => {
    const { admin, companyId } = await tenant();
    const p = await partner(admin, { currency: 'eur' });
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, currency: 'usd' });
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 5000, currency: 'usd' });
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 3000, currency: 'eur' });
    await earned(admin, p.id, 3);
    const run = await generate(admin);
    expect(run.body).toMatchObject({ periodEnd: today(), created: [{ partnerId: p.id, currency: 'eur', total: 1847 + 923 + 600 }], skipped: [] });
    const invoice = (await admin.get(`/v1/invoices/${run.body.created[0].invoiceId}`).expect(200)).body as Invoice;
    expect(invoice).toMatchObject({
      partnerId: p.id,
      status: 'pending_approval',
      currency: 'eur',
      total: 3370,
      periodEnd: today(),
      number: expect.stringMatching(/^INV-\d+$/),
    });
    const byAmount = Object.fromEntries(invoice.lines.map((l) => [`${l.amount} ${l.currency}`, l]));
    expect(byAmount['2000 usd']).toMatchObject({ fxRate: '0.9234', fxSource: 'ecb', fxAsOf: expect.stringMatching(/^\d{4}-/), convertedAmount: 1847 });
    expect(byAmount['1000 usd']).toMatchObject({ fxRate: '0.9234', convertedAmount: 923 });
    expect(byAmount['600 eur']).toMatchObject({ fxRate: null, convertedAmount: 600 });
    expect((await earned(admin, p.id, 3)).every((c) => c.status === 'invoiced')).toBe(true);
    await eventually(async () => {
      const balance = await admin.get(`/v1/partners/${p.id}/balance`).expect(200);
      expect(balance.body.balances).toEqual([
        { currency: 'eur', pending: 0, payable: 0, invoiced: 3370, paid: 0, converted: -2770 },
        { currency: 'usd', pending: 0, payable: 0, invoiced: 0, paid: 0, converted: 3000 },
      ]);
    });
  });

  it('generate twice and 10 concurrent calls: one invoice per partner and period, numbers gap-free', async () => {
    const { admin, companyId } = await tenant();
    const partners = await Promise.all([1, 2, 3].map(() => partner(admin)));
    for (const p of partners) await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    for (const p of partners) await earned(admin, p.id, 1);
    const first = await generate(admin);
    expect(first.body.created).toHaveLength(3);
    expect((await generate(admin)).body.created).toEqual([]);
    const more = await Promise.all([4, 5].map(() => partner(admin)));
    for (const p of more) await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    for (const p of more) await earned(admin, p.id, 1);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => generate(admin)));
    expect(concurrent.flatMap((r) => r.body.created)).toHaveLength(2);
    const all: Invoice[] = (await admin.get('/v1/invoices').expect(200)).body.data;
    expect(all.map((i) => i.partnerId).sort()).toEqual([...partners, ...more].map((p) => p.id).sort());
    expect(all.map((i) => i.number).sort()).toEqual(['INV-000001', 'INV-000002', 'INV-000003', 'INV-000004', 'INV-000005']);
  });

  it('below the minimum payout no invoice is made and the commissions roll over', async () => {
    const { admin, companyId } = await tenant({ minimumPayout: 5000 });
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 15000 });
    await earned(admin, p.id, 1);
    const small = await generate(admin, daysAgo(0).slice(0, 10));
    expect(small.body).toMatchObject({ created: [], skipped: [{ partnerId: p.id, reason: 'below_minimum' }] });
    expect(await invoicesOf(admin, p.id)).toEqual([]);
    expect((await earned(admin, p.id, 1))[0]!.status).toBe('payable');
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    await earned(admin, p.id, 2);
    const enough = await generate(admin);
    expect(enough.body.created).toMatchObject([{ partnerId: p.id, total: 5000 }]);
    expect((await invoicesOf(admin, p.id))[0]!.lines).toHaveLength(2);
  });

  it('approve → mark-paid; commissions and balance follow; illegal transitions answer 409 naming the status', async () => {
    const { admin, companyId } = await tenant();
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    await earned(admin, p.id, 1);
    const id = (await generate(admin)).body.created[0].invoiceId;
    const early = await admin.post(`/v1/invoices/${id}/mark-paid`, { reference: 'SEPA-1' }).expect(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.body).toMatchObject({ code: 'invalid_invoice_transition', currentStatus: 'pending_approval' });
    expect((await admin.post(`/v1/invoices/${id}/approve`).expect(200)).body.status).toBe('approved');
    await admin.post(`/v1/invoices/${id}/mark-paid`, {}).expect(400);
    await admin.post(`/v1/invoices/${id}/mark-paid`, { reference: 'x\udc00' }).expect((r) => expect([400, 422]).toContain(r.status));
    const paid = await admin.post(`/v1/invoices/${id}/mark-paid`, { reference: 'SEPA-1' }).expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', paidReference: 'SEPA-1' });
    expect((await admin.post(`/v1/invoices/${id}/void`).expect(409)).body).toMatchObject({ currentStatus: 'paid', detail: expect.stringContaining('paid') });
    expect((await admin.post(`/v1/invoices/${id}/approve`).expect(409)).body.currentStatus).toBe('paid');
    expect((await earned(admin, p.id, 1))[0]!.status).toBe('paid');
    await eventually(async () =>
      expect((await admin.get(`/v1/partners/${p.id}/balance`).expect(200)).body.balances).toEqual([
        { currency: 'usd', pending: 0, payable: 0, invoiced: 0, paid: 2000, converted: 0 },
      ]),
    );
    expect((await admin.get('/v1/invoices?status=paid').expect(200)).body.data.map((i: Invoice) => i.id)).toEqual([id]);
    expect((await admin.get('/v1/invoices?status=approved').expect(200)).body.data).toEqual([]);
  });

  it('void returns the commissions to payable; a later run invoices them again with the next number', async () => {
    const { admin, companyId } = await tenant();
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    await earned(admin, p.id, 1);
    const first = (await generate(admin)).body.created[0];
    const voided = await admin.post(`/v1/invoices/${first.invoiceId}/void`).expect(200);
    expect(voided.body.status).toBe('void');
    expect((await earned(admin, p.id, 1))[0]!.status).toBe('payable');
    await eventually(async () =>
      expect((await admin.get(`/v1/partners/${p.id}/balance`).expect(200)).body.balances[0]).toMatchObject({ payable: 2000, invoiced: 0 }),
    );
    expect((await admin.post(`/v1/invoices/${first.invoiceId}/approve`).expect(409)).body.currentStatus).toBe('void');
    const again = (await generate(admin)).body.created;
    expect(again).toMatchObject([{ partnerId: p.id, total: 2000, number: 'INV-000002' }]);
    expect((await invoicesOf(admin, p.id)).map((i) => i.status).sort()).toEqual(['pending_approval', 'void']);
  });

  it('a refund of a paid commission becomes a negative line on the partner’s next invoice', async () => {
    const { admin, companyId } = await tenant();
    const p = await partner(admin);
    const paymentId = await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, paidAt: daysAgo(3) });
    await earned(admin, p.id, 1);
    const yesterday = daysAgo(1).slice(0, 10);
    const first = (await generate(admin, yesterday)).body.created;
    expect(first).toMatchObject([{ total: 2000 }]);
    await admin.post(`/v1/invoices/${first[0].invoiceId}/approve`).expect(200);
    await admin.post(`/v1/invoices/${first[0].invoiceId}/mark-paid`, { reference: 'SEPA-1' }).expect(200);
    await refund(app, companyId, paymentId, { amount: 5000, refundedTotal: 5000 });
    const after = await eventually(async () => {
      const list = await earned(admin, p.id, 2);
      expect(list.map((c) => [c.amount, c.status])).toEqual([
        [2000, 'paid'],
        [-1000, 'payable'],
      ]);
      return list;
    });
    expect((await app.store.readStream(`commission-${companyId}-${after[0]!.id}`)).map((e) => [e.type, (e.data as { mode?: string }).mode])).toEqual([
      ['CommissionEarned', undefined],
      ['CommissionReversed', 'carried'],
    ]);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 30000, leadId: 'ld_other' });
    await earned(admin, p.id, 3);
    expect((await generate(admin, yesterday)).body.created).toEqual([]);
    const next = (await generate(admin)).body.created;
    expect(next).toMatchObject([{ partnerId: p.id, total: 6000 - 1000 }]);
    const invoice = (await admin.get(`/v1/invoices/${next[0].invoiceId}`).expect(200)).body as Invoice;
    expect(invoice.lines.map((l) => l.amount).sort((a, b) => a - b)).toEqual([-1000, 6000]);
    await eventually(async () =>
      expect((await admin.get(`/v1/partners/${p.id}/balance`).expect(200)).body.balances).toEqual([
        { currency: 'usd', pending: 0, payable: 0, invoiced: 5000, paid: 2000, converted: 0 },
      ]),
    );
  });

  it('a refund of a payable commission reduces it before the next run takes it', async () => {
    const { admin, companyId } = await tenant();
    const p = await partner(admin);
    const paymentId = await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000 });
    await earned(admin, p.id, 1);
    await refund(app, companyId, paymentId, { amount: 2500, refundedTotal: 2500 });
    await eventually(async () => expect((await earned(admin, p.id, 1))[0]).toMatchObject({ amount: 1500, status: 'payable' }));
    expect((await app.store.readStream(`payables-${companyId}`)).map((e) => e.type)).toEqual(['PayablesChanged']);
    expect((await generate(admin)).body.created).toMatchObject([{ total: 1500 }]);
    expect((await app.store.readStream(`payables-${companyId}`)).map((e) => [e.type, e.version])).toEqual([
      ['PayablesChanged', 1],
      ['InvoiceNumberAssigned', 2],
    ]);
  });

  it('a missing FX rate skips the partner with a clear reason instead of converting at 1.0', async () => {
    const { admin, companyId } = await tenant();
    const p = await partner(admin, { currency: 'gbp' });
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, currency: 'usd' });
    await earned(admin, p.id, 1);
    const run = await generate(admin);
    expect(run.body).toMatchObject({ created: [], skipped: [{ partnerId: p.id, reason: 'fx_rate_missing', detail: expect.stringContaining('usd→gbp') }] });
  });

  it('a company whose schedule was cleared runs on the default schedule', async () => {
    const { admin, companyId } = await tenant();
    await admin.patch('/v1/company', { invoiceSchedule: null });
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, paidAt: daysAgo(40) });
    await earned(admin, p.id, 1);
    const run = await admin.post('/v1/invoices/generate', {}).expect(200);
    expect(run.body.periodEnd).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('rejects a future or malformed periodEnd', async () => {
    const { admin } = await tenant();
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect((await admin.post('/v1/invoices/generate', { periodEnd: future }).expect(422)).body.errors[0].field).toBe('periodEnd');
    await admin.post('/v1/invoices/generate', { periodEnd: '2025-02-30' }).expect(422);
    await admin.post('/v1/invoices/generate', { periodEnd: '31/03/2025' }).expect(400);
  });

  it('bank details: stored encrypted, masked everywhere, in full on the PDF and HTML document', async () => {
    const { admin, companyId } = await tenant({ name: 'Docs Co' });
    const p = await partner(admin, { currency: 'eur', name: 'Jane Doe' });
    const portal = api(app, p.partnerApiKey);
    const set = await portal
      .patch('/v1/portal/bank-details', {
        accountHolder: 'Jane Doe',
        bankName: 'Deutsche Bank',
        country: 'DE',
        iban: 'DE89 3704 0044 0532 0130 00',
        swift: 'DEUTDEFF',
      })
      .expect(200);
    expect(set.body.bankDetails).toEqual({ accountHolder: 'Jane Doe', bankName: 'Deutsche Bank', country: 'DE', swift: 'DEUTDEFF', iban: '••••3000' });
    expect(JSON.stringify((await admin.get(`/v1/partners/${p.id}`).expect(200)).body)).not.toContain('DE8937040044');
    const stored = await app.store.readStream(`partner-${companyId}-${p.id}`);
    expect(JSON.stringify(stored)).not.toContain('0532013000');
    await portal.patch('/v1/portal/bank-details', { accountHolder: 'Jane', bankName: 'B', country: 'DE', iban: 'DE89370400440532013001' }).expect(422);
    await portal.patch('/v1/portal/bank-details', { accountHolder: 'Jane', bankName: 'B', country: 'DE' }).expect(422);
    await admin.patch('/v1/portal/bank-details', { accountHolder: 'x', bankName: 'y', country: 'DE', iban: 'DE89370400440532013000' }).expect(403);
    await portal
      .patch('/v1/portal/bank-details', { accountHolder: 'x\ud800y', bankName: 'B', country: 'DE', iban: 'DE89370400440532013000' })
      .expect((r) => expect([400, 422]).toContain(r.status));
    expect((await portal.get('/v1/portal/me').expect(200)).body.bankDetails.accountHolder).toBe('Jane Doe');

    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, currency: 'usd' });
    await earned(admin, p.id, 1);
    const id = (await generate(admin)).body.created[0].invoiceId;
    const pdf = await admin
      .get(`/v1/invoices/${id}/document`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const text = (await new PDFParse({ data: new Uint8Array(pdf.body as Buffer) }).getText()).text;
    for (const expected of ['DE89370400440532013000', 'Jane Doe', 'Deutsche Bank', 'DEUTDEFF', 'Docs Co', '18.47 EUR', '20.00 USD', '0.9234', 'ecb', today()])
      expect(text).toContain(expected);
    const html = await admin.get(`/v1/invoices/${id}/document`).set('Accept', 'text/html').expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('DE89370400440532013000');
    expect(html.text).toContain('Total: 18.47 EUR');
    expect(JSON.stringify((await admin.get(`/v1/invoices/${id}`).expect(200)).body)).not.toContain('DE8937040044');
  });

  it('portal invoices: own only; admin routes are tenant-scoped', async () => {
    const { admin, companyId } = await tenant();
    const mine = await partner(admin);
    const theirs = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: mine.id, amount: 10000 });
    await attributedPayment(app, companyId, { partnerId: theirs.id, amount: 10000 });
    await earned(admin, mine.id, 1);
    await earned(admin, theirs.id, 1);
    const created = (await generate(admin)).body.created as { invoiceId: string; partnerId: string }[];
    const own = created.find((c) => c.partnerId === mine.id)!;
    const portal = await api(app, mine.partnerApiKey).get('/v1/portal/invoices').expect(200);
    expect(portal.body.data.map((i: Invoice) => i.id)).toEqual([own.invoiceId]);
    expect((await api(app, mine.partnerApiKey).get('/v1/portal/invoices?status=paid').expect(200)).body.data).toEqual([]);
    await api(app, mine.partnerApiKey).get(`/v1/invoices/${own.invoiceId}`).expect(403);
    const { admin: other } = await newCompany(app, { name: 'Other' });
    await other.get(`/v1/invoices/${own.invoiceId}`).expect(404);
    await other.post(`/v1/invoices/${own.invoiceId}/approve`).expect(404);
    await other.get(`/v1/invoices/${own.invoiceId}/document`).expect(404);
    await admin.get('/v1/invoices?status=bogus').expect(400);
    const notServed = (r: { status: number }) => expect([400, 404]).toContain(r.status);
    for (const junk of ['%00', 'a%2Fb', 'x'.repeat(300), 'a%20b']) {
      await admin.get(`/v1/invoices/${junk}`).expect(notServed);
      await admin.post(`/v1/invoices/${junk}/approve`).expect(notServed);
      await admin.post(`/v1/invoices/${junk}/mark-paid`, { reference: 'r' }).expect(notServed);
      await admin.get(`/v1/invoices/${junk}/document`).expect(notServed);
    }
  });

  it('the scheduled run invokes due companies once per period', async () => {
    const { admin, companyId } = await tenant();
    const weekday = ((new Date().getUTCDay() + 6) % 7) + 1;
    await admin.patch('/v1/company', { invoiceSchedule: { frequency: 'weekly', day: weekday, holdDays: 0, minimumPayout: 0 } }).expect(200);
    const p = await partner(admin);
    await attributedPayment(app, companyId, { partnerId: p.id, amount: 10000, paidAt: daysAgo(3) });
    await earned(admin, p.id, 1);
    const cron = app.app.get(InvoiceRunCron);
    await cron.runDue(new Date());
    await eventually(async () => expect(await invoicesOf(admin, p.id)).toMatchObject([{ periodEnd: daysAgo(1).slice(0, 10), total: 2000 }]));
    await cron.runDue(new Date());
    expect(await invoicesOf(admin, p.id)).toHaveLength(1);
  });

  it('OpenAPI documents the commission, FX and invoice routes with their schemas', async () => {
    const doc = (await api(app).get('/docs-json').expect(200)).body;
    for (const path of [
      '/v1/fx-rates',
      '/v1/commissions',
      '/v1/portal/commissions',
      '/v1/partners/{id}/balance',
      '/v1/invoices/generate',
      '/v1/invoices',
      '/v1/invoices/{id}',
      '/v1/invoices/{id}/approve',
      '/v1/invoices/{id}/mark-paid',
      '/v1/invoices/{id}/void',
      '/v1/invoices/{id}/document',
      '/v1/portal/invoices',
      '/v1/portal/bank-details',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    for (const schema of [
      'InvoiceResponse',
      'InvoiceLineResponse',
      'GenerateInvoicesResponse',
      'CommissionListResponse',
      'BalanceResponse',
      'FxRatesResponse',
      'BankDetailsRequest',
    ])
      expect(Object.keys(doc.components.schemas)).toContain(schema);
  });

  it('rebuilt read models (commissions, ledger, invoices, FX rates) equal the live ones', async () => {
    const names = ['commissions', 'ledger', 'invoices', 'fx_rates'];
    await app.runner.waitFor((await app.store.head()).checkpoint);
    const live = await app.runner.status({ names });
    await app.runner.rebuild(names);
    const rebuilt = await app.runner.whenRebuilt(names, 60_000);
    expect(rebuilt.map((r) => r.status)).toEqual(['running', 'running', 'running', 'running']);
    const after = await app.runner.status({ names });
    expect(after.map((r) => [r.name, r.checksum])).toEqual(live.map((r) => [r.name, r.checksum]));
    expect(live.every((r) => r.checksum && r.lastError === null)).toBe(true);
  });
});
