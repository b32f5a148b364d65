/**
 * The attribution module's public face for modules built after it (tracking): its lead and payment events,
 * stream names, the commands others may send and the queries they may read. Nothing outside imports its
 * domain/, commands/ or queries/ directly.
 */
export { leadStream, type LeadCreated, type LeadCustomerLinked } from './domain/lead.js';
export { paymentStream, type PaymentAttributed, type PaymentRefunded, type PaymentRecorded } from './domain/payment.events.js';
export { RecordClickLead, type ClickLead } from './commands/click-lead/click-lead.handler.js';
export { LeadsQuery, type LeadView } from './queries/leads/leads.query.js';
