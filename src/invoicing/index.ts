/** The invoicing module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { InvoicingModule } from './invoicing.module.js';
export { InvoicesQuery } from './queries/invoices/invoices.query.js';
export { invoicesExport } from './queries/invoices/invoices.export.js';
export type { InvoiceFilter } from './queries/invoices/invoices.query.js';
export type { InvoiceApproved, InvoiceGenerated, InvoicePaid, InvoicePaymentFailed, InvoiceStatus, InvoiceVoided } from './domain/invoice.js';
/** The reactor that writes an invoice stream the run decided but did not write (a crash): wait for it to find such an invoice. */
export { INVOICE_COMPLETION } from './commands/generate-invoices/invoice-completion.reactor.js';
/** The read model of `InvoicesQuery`, to wait for before reading what an event changed. */
export const INVOICES_PROJECTION = 'invoices';
