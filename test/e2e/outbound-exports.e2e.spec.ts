import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { attributedPayment, daysAgo, partner, refund } from './commissions-support.js';
import type { RunningApp } from '../../src/bootstrap.js';

describe('CSV exports (GET /v1/exports/{name}.csv)', () => {
  let app: RunningApp;
  let admin: Api;
  let companyId: string;
  let evil: { id: string; partnerApiKey: string };
  let plain: { id: string };

  const csv = async (a: Api, path: string) => {
    const res = await a
      .get(path)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => cb(null, text));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[a-z]+-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = res.body as string;
    return { text, rows: parse(text, { columns: true }) as Record<string, string>[] };
  };

  beforeAll(async () => {
    app = await startTestApp();
    const c = await newCompany(app, { name: 'Exporter' });
    admin = c.admin;
    companyId = c.company.id;
    evil = await partner(admin, { name: '=HYPERLINK("http://evil.test","click")', email: 'evil@partner.example' });
    plain = await partner(admin, { name: 'Smith, "Jr"\nSecond line', email: 'smith@partner.example', currency: 'jpy' });
    await admin.post('/v1/leads', { partnerId: evil.id, email: '-lead@exp.test', name: '@sum(A1)' }).expect(201);
    await admin.post('/v1/leads', { partnerId: plain.id, email: 'plain@exp.test', name: '+1 555' }).expect(201);
    const usd = await attributedPayment(app, companyId, { partnerId: evil.id, amount: 12_345, tax: 45, paidAt: daysAgo(10) });
    await attributedPayment(app, companyId, { partnerId: plain.id, amount: 1_500, currency: 'jpy', paidAt: daysAgo(2) });
    await attributedPayment(app, companyId, { partnerId: plain.id, amount: 1_005, currency: 'kwd', paidAt: daysAgo(1) });
    await refund(app, companyId, usd, { amount: 12_345, refundedTotal: 12_345 });
    // another tenant's data never shows
    const other = await newCompany(app, { name: 'Other' });
    const otherPartner = await partner(other.admin, { name: 'Not yours' });
    await attributedPayment(app, other.company.id, { partnerId: otherPartner.id, amount: 999 });
    await eventually(async () => expect((await admin.get('/v1/commissions').expect(200)).body.data).toHaveLength(3));
    // The refund is processed after the three earns: the exports below read its reversal.
    await eventually(async () => expect((await admin.get('/v1/commissions?status=reversed').expect(200)).body.data).toHaveLength(1));
  });
  afterAll(() => app.close());

  it('writes RFC 4180 with a header row and CRLF line ends, quoting what needs it', async () => {
    const { text, rows } = await csv(admin, '/v1/exports/partners.csv');
    expect(text.split('\r\n')[0]).toBe('id,name,email,currency,referralKey,active,commissionPlan,stripeAccountId,payoutsEnabled,bankDetails,createdAt');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '').includes('\r')).toBe(false);
    // the embedded line break stays inside its quoted field (LF, as given), records end with CRLF
    expect(text).toContain('"Smith, ""Jr""\nSecond line"');
    expect(rows.map((r) => r.name).sort()).toEqual(['\'=HYPERLINK("http://evil.test","click")', 'Smith, "Jr"\nSecond line']);
    expect(rows.find((r) => r.id === plain.id)).toMatchObject({ currency: 'jpy', active: 'true', payoutsEnabled: '', bankDetails: '' });
    expect(JSON.parse(rows[0]!.commissionPlan === '' ? 'null' : rows[0]!.commissionPlan!)).toBeNull();
  });

  it("prefixes text cells a spreadsheet would run as formulas with ', and leaves numbers as numbers", async () => {
    const leads = (await csv(admin, '/v1/exports/leads.csv')).rows;
    expect(leads.map((l) => [l.email, l.name]).sort()).toEqual([
      ["'-lead@exp.test", "'@sum(A1)"],
      ['plain@exp.test', "'+1 555"],
    ]);
    const commissions = (await csv(admin, '/v1/exports/commissions.csv')).rows;
    const reversed = commissions.find((c) => c.partnerId === evil.id)!;
    expect(reversed).toMatchObject({
      status: 'reversed',
      amount: '0',
      amount_decimal: '0.00',
      earnedAmount: '2460',
      earnedAmount_decimal: '24.60',
      reversedAmount: '2460',
      currency: 'usd',
    });
  });

  it('gives amounts in minor units and as decimals with the currency’s exponent', async () => {
    const payments = (await csv(admin, '/v1/exports/payments.csv')).rows;
    expect(payments).toHaveLength(3);
    const by = (currency: string) => payments.find((p) => p.currency === currency)!;
    expect(by('usd')).toMatchObject({
      amount: '12345',
      amount_decimal: '123.45',
      tax: '45',
      tax_decimal: '0.45',
      net: '12300',
      net_decimal: '123.00',
      refundedAmount: '12345',
      attributionStatus: 'attributed',
    });
    expect(by('jpy')).toMatchObject({ amount: '1500', amount_decimal: '1500' });
    expect(by('kwd')).toMatchObject({ amount: '1005', amount_decimal: '1.005' });
  });

  it('takes the list filters plus from/to, and refuses filters an export does not have', async () => {
    expect((await csv(admin, `/v1/exports/payments.csv?partnerId=${plain.id}`)).rows.map((p) => p.currency).sort()).toEqual(['jpy', 'kwd']);
    expect((await csv(admin, '/v1/exports/payments.csv?attribution=unattributed')).rows).toEqual([]);
    const recent = await csv(admin, `/v1/exports/payments.csv?from=${daysAgo(3).slice(0, 10)}`);
    expect(recent.rows.map((p) => p.currency).sort()).toEqual(['jpy', 'kwd']);
    expect((await csv(admin, `/v1/exports/payments.csv?to=${daysAgo(5)}`)).rows.map((p) => p.currency)).toEqual(['usd']);
    expect((await csv(admin, '/v1/exports/commissions.csv?status=reversed')).rows).toHaveLength(1);
    expect((await csv(admin, '/v1/exports/leads.csv?email=PLAIN@exp.test')).rows).toHaveLength(1);
    expect((await csv(admin, '/v1/exports/invoices.csv')).text).toBe(
      'id,number,partnerId,status,total,total_decimal,currency,lines,periodStart,periodEnd,paymentIntentId,failureReason,paidReference,paidAt,createdAt\r\n',
    );

    for (const [path, field] of [
      ['/v1/exports/leads.csv?attribution=attributed', 'attribution'],
      ['/v1/exports/commissions.csv?status=void', 'status'],
      ['/v1/exports/payments.csv?from=yesterday', 'from'],
      ['/v1/exports/payments.csv?from=2026-02-31', 'from'],
      ['/v1/exports/payments.csv?from=2026-03-02&to=2026-03-01', 'from'],
    ]) {
      const res = await admin.get(path!);
      expect([400, 422]).toContain(res.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await admin.get('/v1/exports/ledger.csv').expect(404);
    await admin.get('/v1/exports/__proto__').expect(404);
  });

  it('is for admins only', async () => {
    await request(app.app.getHttpServer()).get('/v1/exports/payments.csv').set('Authorization', `Bearer ${evil.partnerApiKey}`).expect(403);
    await request(app.app.getHttpServer()).get('/v1/exports/payments.csv').expect(401);
  });
});
