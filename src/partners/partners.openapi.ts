import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const partner = {
  id: 'pa_a64ebfbb994b4877871398dd68d9fff6',
  name: 'Jane Doe',
  email: 'jane@partner.example',
  currency: 'eur',
  referralKey: 'ref_9f29ce0Y',
  promotionCodes: ['promo_1QxJANE25'],
  commissionPlan: { type: 'percentage', percent: 25 },
  stripeAccount: { id: 'acct_12RYHOqaJQaxACRyA', payoutsEnabled: true },
  bankDetails: { accountHolder: 'Jane Doe', bankName: 'Example Bank', country: 'DE', iban: '••••3000' },
  active: true,
  createdAt: '2025-03-02T10:00:00.000Z',
};
const newPartner = { ...partner, stripeAccount: null, bankDetails: null, partnerApiKey: 'pf_partner_QqJ5KNausq7PbCRK9oQahaw2oRR3xxcsFbbssmwJO5g' };
const notFound = '`not_found`: no partner with this id in the caller’s company';

/** The partners module's operations (partners, their keys and the portal's `me`). */
export const partnersOpenApi: ModuleOpenApi = {
  tags: [
    { name: 'Partners', description: 'The company’s partners: who they are, their plan override, their portal key; and the partner’s own view of itself.' },
  ],
  operations: {
    partnersCreate: {
      summary: 'Create a partner',
      description:
        'Creates a partner and answers it with its **partner API key**, shown this once: the partner uses it for the portal API ' +
        '(or signs into the portal with a login link, `POST /v1/partners/{id}/login-link`). `currency` is the one it is invoiced and ' +
        'paid in; `commissionPlan` overrides the company’s. `referralKey` (unique per company) is what a checkout passes as ' +
        '`client_reference_id` to attribute a payment to the partner.',
      request: { name: 'Jane Doe', email: 'jane@partner.example', currency: 'eur', commissionPlan: { type: 'percentage', percent: 25 } },
      response: newPartner,
      errors: { 422: '`invalid_field`: `currency` is not an ISO 4217 code, or the plan is not one the rules accept' },
    },
    partnersList: {
      summary: 'List partners',
      description: 'The company’s partners, oldest first, a page at a time; `email` finds one by its e-mail address (exact, case-insensitive).',
      response: { data: [partner], nextCursor: 'MTA' },
    },
    partnersGet: {
      summary: 'Get a partner',
      description: 'One partner: its plan override (`null`: the company’s plan applies), Stripe account state, masked bank details and whether it is active.',
      response: partner,
      errors: { 404: notFound },
    },
    updatePartner: {
      summary: 'Change a partner',
      description:
        'Changes the fields sent; `commissionPlan: null` removes the override. A new plan or currency applies to commissions earned from now ' +
        'on. `promotionCodes` (Stripe promotion code ids `promo_…` or codes, unique within the company) replaces the list: a payment whose ' +
        'invoice or checkout used one is attributed to the partner. Idempotent: the same body twice leaves the same partner.',
      request: {
        name: 'Jane D.',
        commissionPlan: { type: 'flat', amount: 1500, currency: 'eur', firstPaymentOnly: true },
        promotionCodes: ['promo_1QxJANE25', 'JANE20'],
      },
      response: {
        ...partner,
        name: 'Jane D.',
        commissionPlan: { type: 'flat', amount: 1500, currency: 'eur', firstPaymentOnly: true },
        promotionCodes: ['promo_1QxJANE25', 'JANE20'],
      },
      errors: {
        404: notFound,
        409: '`promotion_code_taken`: another partner of the company has one of the promotion codes',
        422: '`invalid_field`: a currency that is not an ISO 4217 code, or a plan the rules refuse',
      },
    },
    portalMe: {
      summary: 'The signed-in partner',
      description: 'The partner the key (or portal session) belongs to, with its referral key for links and checkouts.',
      response: partner,
    },
    partnerAccessRotate: {
      summary: 'Rotate a partner’s API key',
      description: 'Answers the partner with a new one-time `partnerApiKey`; the old key, and portal sessions opened with it, stop working at once.',
      response: { ...partner, partnerApiKey: 'pf_partner_ospbdIbpRyn4hahc9LcEts-ZoRDyloW-HwTJa37t8QA' },
      errors: { 404: notFound },
    },
    partnerAccessDeactivate: {
      summary: 'Deactivate a partner',
      description:
        'From now on the partner has no portal access and earns no new commissions; its leads, commissions and invoices stay. ' +
        'Deactivating a deactivated partner changes nothing.',
      response: { ...partner, active: false },
      errors: { 404: notFound },
    },
    partnerAccessReactivate: {
      summary: 'Reactivate a partner',
      description: 'Portal access again, with the partner’s current key; payments from now on earn again (none earned while it was deactivated).',
      response: partner,
      errors: { 404: notFound },
    },
  },
};
