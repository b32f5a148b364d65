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
  flags: [],
  review: 'auto',
  declineReason: null,
  reviewedAt: null,
};
const flagged = {
  ...commission,
  status: 'pending_review',
  payableAt: '2025-04-13T08:00:00.000Z',
  flags: [{ code: 'self_referral', detail: 'the lead email jane@acme.example shares the partner’s domain acme.example (partner joe@acme.example)' }],
};
const reviewErrors = {
  404: '`not_found`: no commission with this id in the caller’s company',
  409: [
    '`commission_invoiced` / `commission_paid`: it is on an invoice (void the invoice first) or paid',
    '`commission_reversed`: a refund, dispute or plan limit reversed it in full',
    '`commission_declined`: approving a declined commission (a decline is final)',
    '`commission_approved`: declining an approved commission (only one in `pending_review` can be declined)',
    '`not_reviewable`: a negative commission carrying a refund',
  ],
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
    rates: [
      {
        from: 'eur',
        to: 'usd',
        rate: '1.0869565217',
        rateId: 'fxr_6f4283fb0a3b446e98166591db00f047',
        asOf: '2025-03-31T00:00:00.000Z',
        source: 'ecb',
        inverted: true,
      },
    ],
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
        'The company’s commissions, oldest first; filter by `status` (`pending_review` lists what waits for review) and `partnerId`; each shows its fraud `flags`. `totals` sums the whole filtered list per currency; ' +
        '`display` converts it into the company currency at the latest rates (`displayError` says why it could not).',
      response: { data: [commission], nextCursor: 'MzQ', ...totals },
    },
    commissionsGet: {
      summary: 'Get a commission',
      description: 'One commission: the payment and lead it comes from, the plan it was computed under, what a refund reversed, its invoice.',
      response: commission,
      errors: { 404: '`not_found`: no commission with this id in the caller’s company' },
    },
    commissionReviewApprove: {
      summary: 'Approve a commission',
      description:
        'Takes a commission out of `pending_review` (manual review, or fraud `flags`): it follows the hold period from here and becomes ' +
        '`payable` at `payableAt`. Approving again, or approving a commission that needed no review, changes nothing and answers it as it is.',
      response: { ...flagged, status: 'pending', reviewedAt: '2025-03-15T09:30:00.000Z' },
      errors: reviewErrors,
    },
    commissionReviewDecline: {
      summary: 'Decline a commission',
      description:
        'Declines a commission in `pending_review` with a `reason` (kept as `declineReason`): it is never payable and never reaches an invoice. ' +
        'Declining again changes nothing.',
      request: { reason: 'self-referral: the partner bought through their own link' },
      response: {
        ...flagged,
        status: 'declined',
        declineReason: 'self-referral: the partner bought through their own link',
        reviewedAt: '2025-03-15T09:30:00.000Z',
      },
      errors: { ...reviewErrors, 422: '`invalid_field`: `reason` missing, blank or over 500 characters' },
    },
    commissionReviewBulk: {
      summary: 'Approve or decline commissions in bulk',
      description:
        'Up to 100 rows `{commissionId, action: "approve"|"decline", reason?}` (a decline needs a reason), each reviewed on its own in order: ' +
        'a bad row never stops the others. One result per row, in order, with the `error` and its problem `code` when the row failed.',
      request: {
        items: [
          { commissionId: 'cm_pay_cf597d85b8069893bdbcf895', action: 'approve' },
          { commissionId: 'cm_pay_9a1b2c3d4e5f60718293a4b5', action: 'decline', reason: 'duplicate customer' },
        ],
      },
      response: {
        results: [
          { index: 0, ok: true, commissionId: 'cm_pay_cf597d85b8069893bdbcf895', action: 'approve' },
          {
            index: 1,
            ok: false,
            commissionId: 'cm_pay_9a1b2c3d4e5f60718293a4b5',
            action: 'decline',
            error: 'commission cm_pay_9a1b2c3d4e5f60718293a4b5 is on an invoice; void the invoice first',
            code: 'commission_invoiced',
          },
        ],
      },
      errors: { 422: '`invalid_field`: `items` empty, not a list, or more than 100 rows' },
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
