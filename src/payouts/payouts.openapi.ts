import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const paidInvoice = {
  id: 'inv_85a4b7871738482caab78d454d117884',
  partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
  number: 'INV-000001',
  status: 'paid',
  currency: 'usd',
  total: 2980,
  lines: [
    {
      commissionId: 'cm_pay_cf597d85b8069893bdbcf895',
      amount: 2000,
      currency: 'usd',
      fxRate: null,
      fxRateId: null,
      fxAsOf: null,
      fxSource: null,
      fxInverted: null,
      convertedAmount: 2000,
    },
    {
      commissionId: 'cm_pay_139e92072b5ae2fd901ff252',
      amount: 980,
      currency: 'usd',
      fxRate: null,
      fxRateId: null,
      fxAsOf: null,
      fxSource: null,
      fxInverted: null,
      convertedAmount: 980,
    },
  ],
  kind: 'payout',
  carry: { in: 0, out: 0 },
  periodStart: '2025-03-01',
  periodEnd: '2025-03-31',
  paymentIntentId: 'pi_1W2alwithfxzzO0p055GdZym',
  failureReason: null,
  paidReference: null,
  paidAt: '2025-04-02T09:12:00.000Z',
  createdAt: '2025-04-01T00:00:05.000Z',
};
const stripeErrors = {
  502: '`stripe_error`: Stripe refused the request; its message and `stripeCode` are in the problem',
  503: '`stripe_unavailable`: Stripe did not answer; retry in a moment',
};
const platformWebhook = (endpoint: string, secret: string, other: string) =>
  `Stripe calls it, not API clients: the ${endpoint} of the operator’s platform account, signed with \`${secret}\`. The event is ` +
  'stored once per event id and answered 200; processing follows asynchronously; a redelivery answers `duplicate: true` and changes ' +
  `nothing (the event id is the idempotency key: no \`Idempotency-Key\` here). An event that belongs on ${other} is refused.`;

/** The payouts module's operations (the company card, partners' Connect accounts, Pay, readiness, the platform's Stripe webhooks). */
export const payoutsOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Payouts',
      description:
        'Paying invoices through Stripe: the company’s card (charged), the partners’ Express accounts (paid by destination charges), ' +
        '**Pay**, the payout-readiness checklist and the platform’s own Stripe webhooks.',
    },
  ],
  operations: {
    setupIntentCreate: {
      summary: 'Start saving the company’s card',
      description:
        'Creates a Stripe SetupIntent (off-session, cards) on the company’s platform customer and answers its client secret: confirm it ' +
        'with Stripe.js `confirmCardSetup`. The card shows on `GET /v1/company/payment-method` once Stripe reports `setup_intent.succeeded`; ' +
        'Pay charges it.',
      response: { clientSecret: 'seti_1Zq4nsRWKI3EbxOGD9Qm63HW_secret_oJ7oXdvtIHMPDcVAnA6fukG9zhYFsGQC' },
      errors: stripeErrors,
    },
    paymentMethodGet: {
      summary: 'Get the company’s card',
      description: 'The card Pay charges: brand and last four digits.',
      response: { id: 'pm_1laylEn0DCP4P5DvtuiY7hGn', brand: 'visa', last4: '4242' },
      errors: { 404: '`not_found`: no card saved yet' },
    },
    onboardingLinkCreate: {
      summary: 'Get a Stripe onboarding link',
      description:
        'Answers a fresh Stripe Account Link for the partner’s Express account, created on first use (in `country`, ISO 3166-1 alpha-2, ' +
        'default the platform’s) and reused afterwards. Open it in a browser; payouts are enabled once Stripe has what it needs.',
      request: { country: 'de' },
      response: { url: 'https://connect.stripe.com/setup/e/acct_12RYHOqaJQaxACRyA/M7J9sRNjUYCD' },
      errors: { 409: '`stripe_account_country_fixed`: the partner’s account exists in another country', ...stripeErrors },
    },
    payInvoice: {
      summary: 'Pay an invoice',
      description:
        'The **Pay** button: charges the company’s card for the approved invoice’s total and transfers it to the partner’s Stripe account ' +
        '(a destination charge). Answers the invoice after the attempt: `paid`, `payment_failed` with `failureReason` (e.g. a declined card: ' +
        'fix it, then Pay again), or `processing` while Stripe finishes. One Pay per invoice runs at a time, and Stripe gets the same ' +
        'idempotency key on every attempt, so a retry never charges twice.',
      response: paidInvoice,
      errors: {
        404: '`not_found`: no invoice with this id in the caller’s company',
        409: [
          '`invalid_invoice_transition`: the invoice is not approved (or failed): `currentStatus` says what it is',
          '`payment_in_progress`: a payment of this invoice is processing; look at it again in a moment',
          '`company_card_missing`, `partner_account_missing`, `partner_payouts_disabled`, `partner_transfers_inactive`: a precondition is missing; `fix` says what to do',
          '`reversals_pending`: refunds recorded a moment ago are still being applied; retry in a few seconds',
        ],
        422: [
          '`nothing_to_pay`: the total is not positive (mark it as paid instead)',
          '`amount_not_chargeable`, `amount_below_stripe_minimum`: Stripe cannot charge this total in this currency',
          '`fee_not_configured`: the company bears Stripe’s fee but the operator has not configured it for this currency',
        ],
        502: stripeErrors[502],
        503: '`stripe_unavailable`: Stripe did not answer; the attempt stays `processing` and is completed with the same Stripe idempotency key',
      },
    },
    readinessGet: {
      summary: 'Check whether a partner can be paid',
      description:
        'The troubleshooting checklist of the Stripe integration guide: attributed payments, linked leads, revenue, the partner’s ' +
        'Stripe account, bank details, the company card, a payout method, invoice status, the schedule; each check with what was found ' +
        'and the fix. `ready` is true when every required check passes.',
      response: {
        ready: false,
        checks: [
          { id: 'payments_attributed', ok: true, detail: '2 payment(s) attributed to this partner’s leads', fix: null, required: true },
          {
            id: 'connected_account',
            ok: false,
            detail: 'Stripe account acct_12RYHOqaJQaxACRyA: payouts not enabled',
            fix: 'The partner must finish Stripe onboarding in the portal (Connect Stripe)',
            required: false,
          },
          { id: 'company_card', ok: true, detail: 'visa ending 4242', fix: null, required: false },
        ],
      },
      errors: { 404: '`not_found`: no partner with this id in the caller’s company' },
    },
    platformWebhookAccount: {
      summary: 'Receive the platform account’s Stripe events',
      description: `${platformWebhook('account endpoint', 'STRIPE_WEBHOOK_SECRET', '`/v1/webhooks/stripe-connect`')} Events: \`setup_intent.succeeded\`, \`payment_intent.succeeded\`, \`payment_intent.payment_failed\`.`,
      response: { received: true, duplicate: false },
      errors: {
        400: '`invalid_signature`: the `Stripe-Signature` is missing, wrong or stale: nothing stored',
        413: 'no code: the body is larger than 1 MiB',
        422: '`wrong_webhook_endpoint`: a connected account’s event (it has `account`): it belongs on `/v1/webhooks/stripe-connect`; nothing stored',
        503: '`account_webhook_not_configured`: `STRIPE_WEBHOOK_SECRET` is not set on the server',
      },
    },
    platformWebhookConnect: {
      summary: 'Receive connected accounts’ Stripe events',
      description: `${platformWebhook('Connect endpoint', 'STRIPE_CONNECT_WEBHOOK_SECRET', '`/v1/webhooks/stripe-platform`')} Events: \`account.updated\`.`,
      response: { received: true, duplicate: false },
      errors: {
        400: '`invalid_signature`: the `Stripe-Signature` is missing, wrong or stale: nothing stored',
        413: 'no code: the body is larger than 1 MiB',
        422: '`wrong_webhook_endpoint`: the platform’s own event (no `account`): it belongs on `/v1/webhooks/stripe-platform`; nothing stored',
        503: '`connect_webhook_not_configured`: `STRIPE_CONNECT_WEBHOOK_SECRET` is not set on the server',
      },
    },
  },
};
