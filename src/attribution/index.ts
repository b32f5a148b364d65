/** The attribution module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { AttributionModule } from './attribution.module.js';
export { PaymentsQuery } from './queries/payments/payments.query.js';
export { LeadsQuery, type LeadView } from './queries/leads/leads.query.js';
export { paymentsExport, type PaymentExportFilter } from './queries/payments/payments.export.js';
export { leadsExport, type LeadExportFilter } from './queries/leads/leads.export.js';
export type { PaymentAttributed, PaymentUnattributed } from './domain/payment.events.js';
export type { LeadCreated, LeadCustomerLinked } from './domain/lead.js';
/** The read models of `PaymentsQuery` and `LeadsQuery`, to wait for before reading what an event changed. */
export const PAYMENTS_PROJECTION = 'payments';
export const LEADS_PROJECTION = 'leads';
