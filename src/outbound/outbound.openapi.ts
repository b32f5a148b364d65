import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const endpoint = {
  id: 'we_429a1379e769b692340c5323',
  url: 'https://erp.acme.example/partnerflow',
  events: ['invoice.paid', 'commission.created'],
  description: 'ERP',
  status: 'enabled',
  disabledAt: null,
  disabledReason: null,
  createdAt: '2025-03-01T09:45:00.000Z',
};
const delivery = {
  id: 'wd_8d1f4c2b9a7e4f6d8c3b2a1f',
  endpointId: endpoint.id,
  eventId: 'evt_3f0c9b2e8d1a47c6b5e4d3c2',
  type: 'invoice.paid',
  status: 'succeeded',
  attempts: 2,
  lastStatusCode: 200,
  lastError: null,
  lastAttemptAt: '2025-04-02T09:13:05.000Z',
  lastDurationMs: 84,
  nextAttemptAt: null,
  succeededAt: '2025-04-02T09:13:05.000Z',
  createdAt: '2025-04-02T09:12:01.000Z',
};
const endpointNotFound = '`not_found`: no webhook endpoint with this id in the caller’s company';

/** The outbound module's operations (webhooks out, CSV exports, Stripe write-back). */
export const outboundOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Outbound',
      description:
        'What leaves for the company’s own systems: signed webhooks (`Partnerflow-Signature`, Stripe’s scheme) with their delivery log, ' +
        'CSV exports, and the Stripe write-back of attributions into customers’ metadata.',
    },
  ],
  operations: {
    createWebhookEndpoint: {
      summary: 'Create a webhook endpoint',
      description:
        'Subscribes an https URL of the company’s systems to event types; answers the endpoint with its signing `secret` (`whsec_…`), ' +
        'shown this once. Each delivery is `POST {id, type, created, data: {object}}` signed `Partnerflow-Signature: t=<unix>,v1=<hex ' +
        'HMAC-SHA256(secret, "t.body")>`, at least once (the same event `id` on every retry), retried with backoff for up to 3 days, ' +
        'then the endpoint is disabled. The URL must not resolve to a private, loopback or link-local address.',
      request: { url: 'https://erp.acme.example/partnerflow', events: ['invoice.paid', 'commission.created'], description: 'ERP' },
      response: { ...endpoint, secret: 'whsec_fb21ca192c2cfeca8b15bfb12d663577001f522d53da7a88' },
      errors: {
        409: '`too_many_endpoints`: the company has 16 endpoints; delete one first',
        422: '`invalid_field`: `url` is not https or resolves to an address that is not public',
      },
    },
    webhookEndpointsList: {
      summary: 'List webhook endpoints',
      description: 'The company’s endpoints, oldest first; a disabled one says when and why.',
      response: { data: [endpoint], nextCursor: null },
    },
    createWebhookEndpointDelete: {
      summary: 'Delete a webhook endpoint',
      description: 'Nothing more is sent to it; its pending deliveries are dropped (failed, `endpoint deleted`). Deleting it again answers 404.',
      errors: { 404: endpointNotFound },
    },
    webhookDeliveriesList: {
      summary: 'List an endpoint’s deliveries',
      description: 'The delivery log of one endpoint, newest first: status, attempts, the last status code and timing, the next attempt.',
      response: { data: [delivery], nextCursor: null },
      errors: { 404: endpointNotFound },
    },
    retryWebhookDelivery: {
      summary: 'Send a delivery again now',
      description: 'Sends the delivery once now, with the same event id and body, and answers it with this attempt’s status code and timing.',
      response: { ...delivery, attempts: 3, lastAttemptAt: '2025-04-02T10:00:00.000Z', succeededAt: '2025-04-02T10:00:00.000Z' },
      errors: {
        404: '`not_found`: no delivery with this id in the caller’s company',
        409: '`delivery_in_progress`: the delivery is being attempted right now; look at it again in a few seconds',
      },
    },
    exports: {
      summary: 'Export a list as CSV',
      description:
        '`payments.csv`, `commissions.csv`, `invoices.csv`, `partners.csv` or `leads.csv`: RFC 4180, a header row, CRLF line ends, ' +
        'amounts in minor units plus a `<name>_decimal` column, streamed however long. Takes the list’s filters plus `from`/`to` ' +
        "(inclusive). A text cell starting with `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it.",
      errors: {
        404: '`not_found`: not one of the five exports',
        422: '`invalid_field`: a filter the export does not take, a date that does not exist, or `from` after `to`',
        429: '`export_busy`: another export of the company is running; retry after `Retry-After`',
      },
    },
    stripeWriteBacksList: {
      summary: 'List Stripe write-backs',
      description:
        'With `stripeWriteBack` on, each attribution writes `partnerflow_partner_id` and `partnerflow_lead_id` into the Stripe customer’s ' +
        'metadata with the company’s key; this lists what happened per customer, newest first, and why it could not (e.g. ' +
        '`permission_denied`: the key lacks write access to customers).',
      response: {
        data: [
          {
            customerId: 'cus_Q1a2b3c4',
            leadId: 'ld_8c93481bc3894de9844e9748e7c3beaf',
            partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
            status: 'succeeded',
            attempts: 1,
            lastError: null,
            updatedAt: '2025-03-14T08:00:03.000Z',
          },
        ],
        nextCursor: null,
      },
    },
  },
};
