import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const commission = {
  id: 'cm_pay_cf597d85b8069893bdbcf895',
  partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
  leadId: 'ld_8c93481bc3894de9844e9748e7c3beaf',
  paymentId: 'pay_cf597d85b8069893bdbcf895',
  amount: 2000,
  currency: 'usd',
  status: 'payable',
  payableAt: '2025-04-13T08:00:00.000Z',
  kind: 'payment',
  earnedAmount: 2000,
  reversedAmount: 0,
  invoiceId: null,
  reversesCommissionId: null,
  plan: { type: 'percentage', percent: 20 },
  paidAt: '2025-03-14T08:00:00.000Z',
  createdAt: '2025-03-14T08:00:01.000Z',
};
const totals = { totals: [{ currency: 'usd', amount: 2980 }], display: { currency: 'usd', amount: 2980, rates: [] }, displayError: null };
const balance = {
  asOf: '2025-04-01T00:00:00.000Z',
  balances: [
    { currency: 'usd', pending: 0, payable: 2980, invoiced: 0, paid: 12000, converted: 0 },
    { currency: 'eur', pending: 1500, payable: 0, invoiced: 0, paid: 0, converted: 0 },
  ],
  display: {
    currency: 'usd',
    pending: 1630,
    payable: 2980,
    invoiced: 0,
    paid: 12000,
    rates: [{ from: 'eur', to: 'usd', rate: '1.0869565217', rateId: 'fxr_6f4283fb0a3b446e98166591db00f047', asOf: '2025-03-31T00:00:00.000Z', source: 'ecb', inverted: true }],
  },
  displayError: null,
};
const partnerNotFound = '`not_found`: no partner with this id in the caller’s company';

/** The commissions module's operations (commissions and the ledger balances). */
export const commissionsOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Commissions',
      description:
        'What partners earn: one commission per attributed payment under the partner’s (or company’s) plan, reduced or reversed by ' +
        'refunds and lost disputes, and the ledger balance per currency and status.',
    },
  ],
  operations: {
    commissionsList: {
      summary: 'List commissions',
      description:
        'The company’s commissions, oldest first; filter by `status` and `partnerId`. `totals` sums the whole filtered list per currency; ' +
        '`display` converts it into the company currency at the latest rates (`displayError` says why it could not).',
      response: { data: [commission], nextCursor: 'MzQ', ...totals },
    },
    commissionsGet: {
      summary: 'Get a commission',
      description: 'One commission: the payment and lead it comes from, the plan it was computed under, what a refund reversed, its invoice.',
      response: commission,
      errors: { 404: '`not_found`: no commission with this id in the caller’s company' },
    },
    commissionsPortal: {
      summary: 'List the partner’s own commissions',
      description: 'The signed-in partner’s commissions, oldest first, with totals per currency (no display conversion).',
      response: { data: [commission], nextCursor: null, totals: totals.totals, display: null, displayError: null },
    },
    balance: {
      summary: 'Get a partner’s balance',
      description:
        'The partner’s ledger per currency: `pending` (in the hold period), `payable`, `invoiced`, `paid`, now or `asOf` a past date ' +
        '(the end of that day, UTC). `display` adds them up in the company currency.',
      response: balance,
      errors: { 404: partnerNotFound },
    },
    portalBalance: {
      summary: 'Get the partner’s own balance',
      description: 'The signed-in partner’s earnings per currency and status, from the ledger (no display conversion).',
      response: { asOf: balance.asOf, balances: balance.balances, display: null, displayError: null },
    },
  },
};
