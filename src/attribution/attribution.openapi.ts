import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const lead = {
  id: 'ld_8c93481bc3894de9844e9748e7c3beaf',
  partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
  email: 'john@customer.example',
  name: 'John',
  stripeCustomerId: 'cus_Q1a2b3c4',
  createdAt: '2025-03-02T10:05:00.000Z',
};
const payment = {
  id: 'pay_cf597d85b8069893bdbcf895',
  stripeObjectId: 'in_1EcJGckDXiczVFxFgZwx11Hq',
  customerId: 'cus_Q1a2b3c4',
  email: 'john@customer.example',
  amount: 11900,
  tax: 1900,
  net: 10000,
  currency: 'usd',
  paidAt: '2025-03-14T08:00:00.000Z',
  refundedAmount: 0,
  attribution: {
    status: 'attributed',
    method: 'customer_id',
    leadId: lead.id,
    partnerId: lead.partnerId,
    trace: [`lead ${lead.id} has customer cus_Q1a2b3c4`],
  },
  chargeId: null,
  paymentIntentId: null,
  invoiceId: 'in_1EcJGckDXiczVFxFgZwx11Hq',
  commissionExcluded: null,
  createdAt: '2025-03-14T08:00:01.000Z',
};
const leadNotFound = '`not_found`: no lead with this id in the caller’s company';

/** The attribution module's operations (leads, customer links, payments, the company's Stripe webhook, reconciliation). */
export const attributionOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Attribution',
      description:
        'Leads of partners, their links to Stripe customers, the company’s Stripe payments and how each was attributed (customer id, ' +
        'Checkout’s `client_reference_id` (a referral key or click id), promotion code, e-mail, or a manual link), the company’s Stripe ' +
        'webhook and reconciliation of missed events.',
    },
  ],
  operations: {
    leadsCreate: {
      summary: 'Create a lead',
      description:
        'Records a lead (a person a partner referred) for one of the company’s partners. With `stripeCustomerId` the customer is linked at ' +
        'once, so that customer’s payments are attributed by customer id; without, a later payment with the lead’s e-mail attributes it ' +
        'and links the customer.',
      request: { partnerId: lead.partnerId, email: 'john@customer.example', name: 'John', stripeCustomerId: 'cus_Q1a2b3c4' },
      response: lead,
      errors: {
        404: '`not_found`: no partner with `partnerId` in the caller’s company',
        409: '`customer_already_linked`: another lead holds this Stripe customer',
      },
    },
    leadsList: {
      summary: 'List leads',
      description: 'The company’s leads, oldest first; filter by `email` (exact, case-insensitive) or `partnerId`.',
      response: { data: [lead], nextCursor: 'MjA' },
    },
    leadsGet: {
      summary: 'Get a lead',
      description: 'One lead, with the Stripe customer linked to it (`null`: none yet).',
      response: lead,
      errors: { 404: leadNotFound },
    },
    leadsPortal: {
      summary: 'List the partner’s own leads',
      description: 'The signed-in partner’s leads, oldest first.',
      response: { data: [lead], nextCursor: null },
    },
    linkCustomer: {
      summary: 'Link a Stripe customer to a lead',
      description:
        'Links `customerId` to the lead: the customer’s later payments are attributed to the lead’s partner. With ' +
        '`attributePastPayments: true`, its earlier unattributed payments are attributed now too (`attributedPayments` counts them). ' +
        'Idempotent: the same link again changes nothing. A customer belongs to one lead per company.',
      request: { customerId: 'cus_Zz9Yx8W7', attributePastPayments: true },
      response: {
        ...lead,
        id: 'ld_6d67f898ae2141f08b091bb5ffd50465',
        email: 'ann@customer.example',
        name: null,
        stripeCustomerId: 'cus_Zz9Yx8W7',
        attributedPayments: 1,
      },
      errors: { 404: leadNotFound, 409: '`customer_already_linked`: another lead holds this Stripe customer' },
    },
    linkCustomerBulk: {
      summary: 'Link Stripe customers to leads in bulk',
      description:
        'Up to 1,000 rows `{leadId or email, customerId}` (e.g. a pasted CSV); each row is linked on its own and answered in `results`, ' +
        'in order: a bad row never stops the others. A row already linked the same way is `ok` again. `attributePastPayments` applies to every row.',
      request: {
        items: [
          { leadId: lead.id, customerId: 'cus_Q1a2b3c4' },
          { email: 'missing@customer.example', customerId: 'cus_New1' },
        ],
        attributePastPayments: true,
      },
      response: {
        results: [
          { index: 0, ok: true, leadId: lead.id, customerId: 'cus_Q1a2b3c4' },
          { index: 1, ok: false, customerId: 'cus_New1', error: 'no lead with email missing@customer.example' },
        ],
      },
      errors: { 422: '`invalid_field`: `items` is empty or has more than 1,000 rows' },
    },
    paymentsList: {
      summary: 'List payments',
      description:
        'The company’s Stripe payments (paid invoices and charges), oldest first, with their attribution. `attribution=unattributed` ' +
        'lists the ones that need a look; `customerId`, `partnerId` and `leadId` narrow further. Amounts are minor units: `net` = ' +
        '`amount` − `tax` is what commissions are computed on.',
      response: { data: [payment], nextCursor: 'NDI' },
    },
    paymentsGet: {
      summary: 'Get a payment',
      description: 'One payment with its attribution and `trace`, the reasons the attribution decided as it did.',
      response: payment,
      errors: { 404: '`not_found`: no payment with this id in the caller’s company' },
    },
    paymentsDiagnose: {
      summary: 'Diagnose a payment’s attribution',
      description:
        'Why a payment is (not) attributed, and candidate leads (same e-mail domain, similar address) to link its customer to with ' +
        '`PUT /v1/leads/{id}/stripe-customer` and `attributePastPayments: true`.',
      response: {
        paymentId: 'pay_139e92072b5ae2fd901ff252',
        status: 'unattributed',
        reasons: ['Stripe customer cus_Zz9Yx8W7 is not linked to any lead', 'no lead has the email ann.smith@customer.example'],
        candidates: [
          {
            leadId: 'ld_6d67f898ae2141f08b091bb5ffd50465',
            email: 'ann@customer.example',
            partnerId: lead.partnerId,
            why: 'same email domain customer.example',
          },
        ],
      },
      errors: { 404: '`not_found`: no payment with this id in the caller’s company' },
    },
    stripeWebhookReceive: {
      summary: 'Receive the company’s Stripe events',
      description:
        'The endpoint a company registers in its Stripe Dashboard (events `invoice.paid`, `charge.succeeded`, `invoice_payment.paid`, ' +
        '`charge.refunded`, `charge.dispute.closed`, `checkout.session.completed`). Stripe calls it, not API clients: the body is the raw ' +
        'event, signed with the endpoint’s secret (`PUT /v1/company/stripe`). It is stored once per event id and answered 200; ' +
        'processing follows asynchronously. A redelivered event answers 200 with `duplicate: true` and changes nothing (the event id ' +
        'is the idempotency key: no `Idempotency-Key` here).',
      response: { received: true, duplicate: false },
      errors: {
        400: [
          '`invalid_signature`: the `Stripe-Signature` is missing, wrong, or its timestamp is too old or too far ahead: nothing stored',
          '`invalid_payload`: the body is not a Stripe event: nothing stored',
        ],
        404: '`not_found`: no company with this id',
        409: '`stripe_not_connected`: the company has stored no webhook secret yet',
        413: 'no code: the body is larger than 1 MiB',
      },
    },
    reconcile: {
      summary: 'Reconcile missed Stripe events',
      description:
        'Lists the company’s Stripe events since `since` (at most 30 days back, Stripe’s limit; default 30 days) with its stored API key ' +
        'and ingests those never received, as if the webhook had delivered them. Safe to repeat: events already stored are counted in ' +
        '`alreadyKnown` and change nothing.',
      request: { since: '2025-03-01T00:00:00Z' },
      response: { scanned: 120, ingested: 3, alreadyKnown: 117 },
      errors: {
        409: '`stripe_api_key_missing`: no API key stored (`PUT /v1/company/stripe` with `apiKey`)',
        422: [
          '`invalid_field`: `since` is in the future or more than 30 days ago',
          '`stripe_api_key_rejected`: Stripe refused the stored key; the counts so far are in the problem',
        ],
        502: '`stripe_error`: Stripe refused to list the events; its message and `stripeCode` are in the problem, with the counts so far',
        503: '`stripe_unavailable`: Stripe did not answer; retry in a moment (the counts so far are in the problem)',
      },
    },
  },
};
