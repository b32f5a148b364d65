/** The attribution module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { AttributionModule } from './attribution.module.js';
export { LeadsMigration, PaymentCommissionExclusionMigration, PaymentsMigration } from './attribution.migration.js';
export { attributionOpenApi } from './attribution.openapi.js';
export { StripeWebhookController, stripeWebhookRoute } from './webhooks/stripe-webhook.http.controller.js';
export { PaymentsQuery } from './queries/payments/payments.query.js';
export { LeadsQuery, type LeadView } from './queries/leads/leads.query.js';
export { paymentsExport, type PaymentExportFilter } from './queries/payments/payments.export.js';
export { leadsExport, type LeadExportFilter } from './queries/leads/leads.export.js';
export {
  paymentStream,
  type CommissionExclusion,
  type PaymentAttributed,
  type PaymentUnattributed,
  type PaymentRefunded,
  type PaymentRecorded,
} from './domain/payment.events.js';
export { leadStream, type LeadCreated, type LeadCustomerLinked } from './domain/lead.js';
export type { CheckoutPaymentClaimed } from './domain/checkout-payment.js';
/** Tracking sends it: the lead of a tracked click (its signup). */
export { RecordClickLead, type ClickLead } from './commands/click-lead/click-lead.handler.js';
/** The read models of `PaymentsQuery` and `LeadsQuery`, to wait for before reading what an event changed. */
export const PAYMENTS_PROJECTION = 'payments';
export const LEADS_PROJECTION = 'leads';
