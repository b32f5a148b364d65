import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const line = (commissionId: string, amount: number) => ({
  commissionId,
  amount,
  currency: 'usd',
  fxRate: null,
  fxRateId: null,
  fxAsOf: null,
  fxSource: null,
  fxInverted: null,
  convertedAmount: amount,
});
const invoice = {
  id: 'inv_85a4b7871738482caab78d454d117884',
  partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
  number: 'INV-000001',
  status: 'pending_approval',
  currency: 'usd',
  total: 2980,
  lines: [line('cm_pay_cf597d85b8069893bdbcf895', 2000), line('cm_pay_139e92072b5ae2fd901ff252', 980)],
  kind: 'payout',
  carry: { in: 0, out: 0 },
  periodStart: '2025-03-01',
  periodEnd: '2025-03-31',
  paymentIntentId: null,
  failureReason: null,
  paidReference: null,
  paidAt: null,
  createdAt: '2025-04-01T00:00:05.000Z',
};
const notFound = '`not_found`: no invoice with this id in the caller’s company';
const transition = (from: string) => `\`invalid_invoice_transition\`: the invoice is not ${from}; \`currentStatus\` says what it is`;
const reversals = '`reversals_pending`: refunds recorded a moment ago are still being applied to commissions; retry in a few seconds';

/** The invoicing module's operations (invoice runs, approval, documents, bank details, clawbacks). */
export const invoicingOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Invoicing',
      description:
        'Invoices of payable commissions per partner and period, on the company’s schedule or on demand; approval, **Mark as paid**, ' +
        'void; the invoice document with the partner’s bank details; clawback statements.',
    },
  ],
  operations: {
    generateInvoices: {
      summary: 'Generate invoices now',
      description:
        'Runs the invoice schedule now for the period ending `periodEnd` (default: the last finished period): one invoice per partner ' +
        'with payable commissions, converted into the partner’s currency at the cutoff’s rates, rounded to what Stripe can charge (the ' +
        'rest is carried to the next invoice). Partners left out are listed in `skipped` with the reason. Idempotent per partner and ' +
        'period: a second run creates nothing new (`already_invoiced`).',
      request: { periodEnd: '2025-03-31' },
      response: {
        periodStart: '2025-03-01',
        periodEnd: '2025-03-31',
        cutoff: '2025-03-31T23:59:59.999Z',
        created: [{ invoiceId: invoice.id, partnerId: invoice.partnerId, number: 'INV-000001', currency: 'usd', total: 2980 }],
        skipped: [{ partnerId: 'pa_b98d3a8123a04e5b855e654b11344b7b', reason: 'below_minimum', detail: 'total 980 usd below the minimum payout 5000 usd' }],
      },
      errors: { 422: '`invalid_field`: `periodEnd` is not a date that exists, or is in the future' },
    },
    invoicesList: {
      summary: 'List invoices',
      description: 'The company’s invoices, oldest first; filter by `status` and `partnerId`.',
      response: { data: [invoice], nextCursor: null },
    },
    invoicesGet: {
      summary: 'Get an invoice',
      description:
        'One invoice with its lines: each commission’s amount in its own currency, the FX rate used and the converted amount; `carry` is ' +
        'the remainder taken in from an earlier invoice and left for the next (Stripe’s charge increments).',
      response: invoice,
      errors: { 404: notFound },
    },
    invoicesPortal: {
      summary: 'List the partner’s own invoices',
      description: 'The signed-in partner’s invoices, oldest first; filter by `status`.',
      response: {
        data: [{ ...invoice, status: 'paid', paymentIntentId: 'pi_1W2alwithfxzzO0p055GdZym', paidAt: '2025-04-02T09:12:00.000Z' }],
        nextCursor: null,
      },
    },
    invoiceLifecycleApprove: {
      summary: 'Approve an invoice',
      description:
        'A person’s approval: `pending_approval` → `approved`, ready for **Pay** or **Mark as paid**. Approving an approved invoice changes nothing.',
      response: { ...invoice, status: 'approved' },
      errors: { 404: notFound, 409: [transition('pending approval'), reversals] },
    },
    invoiceLifecycleMarkPaid: {
      summary: 'Mark an invoice as paid',
      description:
        'Records a payment made outside Partnerflow (a bank transfer) with its `reference`: an approved or failed invoice becomes `paid`, ' +
        'and so do its commissions.',
      request: { reference: 'SEPA 2025-04-02 #8812' },
      response: { ...invoice, status: 'paid', paidReference: 'SEPA 2025-04-02 #8812', paidAt: '2025-04-02T10:00:00.000Z' },
      errors: { 404: notFound, 409: [transition('approved or failed'), reversals], 422: '`invalid_field`: `reference` is not valid Unicode text' },
    },
    invoiceLifecycleVoid: {
      summary: 'Void an invoice',
      description:
        'Cancels an invoice that is pending approval, approved or failed; its commissions become payable again and go on the next run. ' +
        'Voiding a void invoice changes nothing.',
      response: { ...invoice, status: 'void' },
      errors: { 404: notFound, 409: transition('pending approval, approved or failed') },
    },
    invoiceDocument: {
      summary: 'Download an invoice document',
      description: 'The invoice as PDF (or HTML with `Accept: text/html`), with the partner’s bank details in full for a payment by transfer.',
      errors: { 404: notFound },
    },
    invoiceDocumentPortalDocument: {
      summary: 'Download one of the partner’s invoices',
      description: 'One of the signed-in partner’s invoices as PDF (or HTML with `Accept: text/html`).',
      errors: { 404: notFound },
    },
    bankDetailsSet: {
      summary: 'Set the partner’s bank details',
      description:
        'The partner’s bank account for payments by transfer: an IBAN (checked) or an account number, with holder, bank and country. ' +
        'Stored encrypted; answers show them masked, only invoice documents in full. Replaces the previous details; the same body twice ' +
        'changes nothing.',
      request: { accountHolder: 'Jane Doe', bankName: 'Example Bank', country: 'DE', iban: 'DE89370400440532013000', swift: 'COBADEFFXXX' },
      response: {
        id: 'pa_a64ebfbb994b4877871398dd68d9fff6',
        name: 'Jane Doe',
        email: 'jane@partner.example',
        currency: 'eur',
        referralKey: 'ref_9f29ce0Y',
        promotionCodes: [],
        commissionPlan: null,
        stripeAccount: null,
        bankDetails: { accountHolder: 'Jane Doe', bankName: 'Example Bank', country: 'DE', iban: '••••3000', swift: 'COBADEFFXXX' },
        active: true,
        createdAt: '2025-03-02T10:00:00.000Z',
      },
      errors: { 422: '`invalid_field`: neither `iban` nor `accountNumber`, an IBAN whose checksum fails, or text that is not valid Unicode' },
    },
    clawback: {
      summary: 'Issue a clawback statement',
      description:
        'For a partner whose balance is negative (reversals of commissions already paid) and whom no future earning will cover: an ' +
        'invoice of kind `clawback` with the negative total of the open commissions, `pending_approval`. Approve it, then mark it paid ' +
        'with the reference of the partner’s repayment, or void it to keep the balance open. Normally a negative balance is simply ' +
        'netted on the next invoice.',
      response: {
        ...invoice,
        id: 'inv_0d3e7a2b1c9f4e8d8a6b5c4d3e2f1a0b',
        number: 'INV-000007',
        kind: 'clawback',
        total: -2000,
        lines: [{ ...line('cm_rev_cf597d85b8069893bdbcf895', -2000) }],
      },
      errors: {
        404: '`not_found`: no partner with this id in the caller’s company',
        422: '`nothing_to_claw_back`: the partner’s open balance is not negative',
      },
    },
  },
};
