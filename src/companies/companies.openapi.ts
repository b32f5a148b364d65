import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const company = {
  id: 'co_9e00b0f27efa478ebf6e1a1a43eaaec1',
  name: 'Acme Analytics',
  currency: 'usd',
  invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 30, minimumPayout: 5000, timeZone: 'Europe/Berlin' },
  commissionPlan: { type: 'percentage', percent: 20 },
  stripe: { connected: true, apiKeySet: true },
  notifications: { adminEmails: ['finance@acme.example'], disabled: [] },
  stripeWriteBack: false,
  tracking: { landingUrl: 'https://www.acme.example/', cookieDays: 60, model: 'last_click', allowedOrigins: ['https://www.acme.example'] },
  publishableKey: 'pk_3hT2xkQ9aLmR7vB2nC4d',
  commissionReview: 'auto',
  fraud: { refundRateThreshold: 0.3 },
  createdAt: '2025-03-01T09:30:00.000Z',
};

/** The companies module's operations (tenants, their settings, keys and Stripe connection). */
export const companiesOpenApi: ModuleOpenApi = {
  tags: [{ name: 'Companies', description: 'Tenants: a company running a partner program, its settings, its admin key and its Stripe connection.' }],
  operations: {
    createCompany: {
      summary: 'Create a company',
      description:
        'Creates a tenant and answers it with its **admin API key**, shown this once (only its hash is stored): hand it to the ' +
        'company’s admins. `currency` is the company’s display and minimum-payout currency (default `usd`). The new company has ' +
        'the default plan (20 %) and a monthly schedule; its admins change them with `PATCH /v1/company`.',
      request: { name: 'Acme Analytics', currency: 'usd' },
      response: {
        ...company,
        stripe: { connected: false, apiKeySet: false },
        notifications: { adminEmails: [], disabled: [] },
        tracking: { landingUrl: null, cookieDays: 60, model: 'last_click', allowedOrigins: [] },
        adminApiKey: 'pf_admin_YEvy3QcgeYnrvieFvoKVWMS3zsXBOcIX5xUdcw2_-gk',
      },
      errors: { 422: '`invalid_field`: `currency` is not an ISO 4217 code' },
    },
    companySettingsGet: {
      summary: 'Get the company’s settings',
      description:
        'The caller’s company: display currency, invoice schedule, default commission plan, e-mail notifications, referral tracking ' +
        '(landing URL, cookie lifetime, first or last click, allowed origins) with the public `publishableKey` of the tracking script, ' +
        'and the Stripe connection (never its secrets).',
      response: company,
    },
    companySettingsUpdate: {
      summary: 'Change the company’s settings',
      description:
        'Changes the fields sent; an absent field stays as it is. `invoiceSchedule` and `commissionPlan` are replaced whole. ' +
        '`minimumPayout` is in minor units of the company currency. A new plan applies to payments recorded from now on; ' +
        'commissions already earned keep theirs. `commissionReview: manual` holds every new commission in `pending_review`; under ' +
        '`auto` only fraud-flagged ones wait (`fraud.refundRateThreshold`: the refunded share of a partner’s last 90 days’ revenue above ' +
        'which `high_refund_rate` flags). Idempotent: the same body twice leaves the same settings.',
      request: {
        invoiceSchedule: { frequency: 'monthly', day: 1, holdDays: 30, minimumPayout: 5000, timeZone: 'Europe/Berlin' },
        commissionPlan: { type: 'percentage', percent: 20 },
        tracking: { landingUrl: 'https://www.acme.example/', cookieDays: 60, model: 'last_click', allowedOrigins: ['https://www.acme.example'] },
        commissionReview: 'manual',
        fraud: { refundRateThreshold: 0.3 },
      },
      response: company,
      errors: { 422: '`invalid_field`: a currency that is not an ISO 4217 code, or a plan or schedule the rules refuse (e.g. an unknown time zone)' },
    },
    connectStripe: {
      summary: 'Connect the company’s Stripe account',
      description:
        'Stores the signing secret of the company’s Stripe webhook endpoint (`whsec_…`, pointed at `/v1/webhooks/stripe/{companyId}`) ' +
        'and optionally an API key (`rk_…` restricted or `sk_…`) used to reconcile missed events and, with write-back on, to tag ' +
        'customers. Both are stored encrypted and never returned. Idempotent: sending the same secrets again changes nothing.',
      request: { webhookSecret: 'whsec_5Rk2dQm9XbT1', apiKey: 'rk_live_51Hx2bYQ' },
      response: company,
    },
    rotateAdminKey: {
      summary: 'Rotate the admin API key',
      description:
        'Answers a new one-time admin key; the caller’s key stops working at once, and so do console sessions opened with it. ' +
        'A retry with the same `Idempotency-Key` must be sent with a key that still works: once the rotation succeeded, only the new one does.',
      response: { adminApiKey: 'pf_admin_Wmwd8woX11WQ2mXhCY56g3sjHMI_ZQN-UAcil2PSXIM' },
    },
  },
};
