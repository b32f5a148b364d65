/** The invoicing module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { InvoicingModule } from './invoicing.module.js';
export { InvoicesQuery } from './queries/invoices/invoices.query.js';
export { invoicesExport } from './queries/invoices/invoices.export.js';
export type { InvoiceFilter } from './queries/invoices/invoices.query.js';
export type { InvoiceApproved, InvoiceGenerated, InvoicePaid, InvoicePaymentFailed, InvoiceStatus, InvoiceVoided } from './domain/invoice.js';
/** The read model of `InvoicesQuery`, to wait for before reading what an event changed. */
export const INVOICES_PROJECTION = 'invoices';
