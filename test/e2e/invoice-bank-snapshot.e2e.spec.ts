import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, api, newCompany } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { attributedPayment, partner, today } from './commissions-support.js';

const FIRST = 'DE89370400440532013000';
const SECOND = 'GB82WEST12345698765432';

/** An approved invoice is paid to the bank details it was approved with: changing them later cannot redirect it. */
describe('invoice document: bank details as approved', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(() => app?.close());

  it('approval snapshots the partner’s bank details (masked in the audit trail); a later change does not reach the approved invoice, and is in the partner’s audit', async () => {
    const { admin, company } = await newCompany(app, { name: 'Snapshot Co' });
    await admin.patch('/v1/company', { invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 0, minimumPayout: 0 } }).expect(200);
    const p = await partner(admin, { currency: 'usd', name: 'Jane Doe' });
    const portal = api(app, p.partnerApiKey);
    await portal.patch('/v1/portal/bank-details', { accountHolder: 'Jane Doe', bankName: 'Deutsche Bank', country: 'DE', iban: FIRST }).expect(200);
    const invoiceFor = async (n: number) => {
      await attributedPayment(app, company.id, { partnerId: p.id, amount: 10_000 });
      await eventually(async () => expect((await admin.get(`/v1/commissions?partnerId=${p.id}`).expect(200)).body.data).toHaveLength(n));
      return (await admin.post('/v1/invoices/generate', { periodEnd: today() }).expect(200)).body.created[0].invoiceId as string;
    };
    const html = async (id: string) => (await admin.get(`/v1/invoices/${id}/document`).set('Accept', 'text/html').expect(200)).text;

    const approved = await invoiceFor(1);
    // before approval the document shows the partner's current details
    expect(await html(approved)).toContain(FIRST);
    await admin.post(`/v1/invoices/${approved}/approve`).expect(200);
    // the partner (or someone with its key) changes the account after approval
    await portal.patch('/v1/portal/bank-details', { accountHolder: 'Mallory', bankName: 'Other Bank', country: 'GB', iban: SECOND }).expect(200);

    const document = await html(approved);
    expect(document).toContain(FIRST);
    expect(document).toContain('Jane Doe');
    expect(document).not.toContain(SECOND);

    const audit = (await admin.get(`/v1/audit/streams/invoice/${approved}`).expect(200)).body.data as { type: string; data: Record<string, unknown> }[];
    const approval = audit.find((e) => e.type === 'InvoiceApproved')!;
    expect(approval.data).toMatchObject({ bankDetails: { masked: { accountHolder: 'Jane Doe', iban: '••••3000' } } });
    expect(JSON.stringify(audit)).not.toContain(FIRST);
    const partnerAudit = (await admin.get(`/v1/audit/streams/partner/${p.id}`).expect(200)).body.data as {
      type: string;
      data: { bankDetailsMasked?: Record<string, string> };
    }[];
    expect(partnerAudit.filter((e) => e.type === 'PartnerBankDetailsSet').map((e) => e.data.bankDetailsMasked?.iban)).toEqual(['••••3000', '••••5432']);
    expect((await admin.get(`/v1/partners/${p.id}`).expect(200)).body.bankDetails.iban).toBe('••••5432');
  });
});
