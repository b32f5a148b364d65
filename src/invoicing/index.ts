/** The invoicing module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { InvoicingModule } from './invoicing.module.js';
export { InvoiceBankDetailsMigration, InvoiceCarriesMigration, InvoicingMigration } from './invoicing.migration.js';
export { invoicingOpenApi } from './invoicing.openapi.js';
export { InvoicesQuery, type PartnerInvoices } from './queries/invoices/invoices.query.js';
export { invoicesExport } from './queries/invoices/invoices.export.js';
export type { InvoiceFilter } from './queries/invoices/invoices.query.js';
export { InvoiceResponse } from './invoice.response.js';
export { PendingReversals } from './commands/invoice-lifecycle/pending-reversals.js';
export { evolveInvoice, initialInvoice } from './domain/invoice.js';
export type {
  InvoiceApproved,
  InvoiceEvent,
  InvoiceGenerated,
  InvoiceNumberAssigned,
  InvoicePaid,
  InvoicePaymentFailed,
  InvoiceStatus,
  InvoiceVoided,
} from './domain/invoice.js';
export { nextInvoiceRun } from './domain/next-run.js';
/** How an invoice run drafts its lines, for specs that run invoices over another module's commissions. */
export { draftLines } from './domain/invoice-run.js';
/** The reactor that writes an invoice stream the run decided but did not write (a crash): wait for it to find such an invoice. */
export { INVOICE_COMPLETION } from './commands/generate-invoices/invoice-completion.reactor.js';
export type { PayablesChanged } from './domain/payables.js';
/** Commissions' ReverseCommission: the invoice's void and the payables reservation, appended in its command. */
export { invoiceOnReversal, reservePayables } from './commands/commission-reversal/commission-reversal.js';
/** The invoice stream's side of Pay (payouts calls Stripe): the attempt started at the version read, Stripe's answers recorded. */
export { InvoicePayments, type AttemptKey, type OpenedInvoice } from './commands/invoice-payment/invoice-payments.js';
export type { InvoiceState } from './domain/invoice.js';
export {
  decideIntentOutcome,
  decideStartPayout,
  failureCode,
  failureReason,
  payoutCharge,
  type AttemptFee,
  type IntentSnapshot,
  type PaymentFailure,
  type PayoutAttemptPrepared,
  type PayoutPrerequisites,
  type PreparedAttempt,
} from './domain/invoice-payment.js';
/** The read model of `InvoicesQuery`, to wait for before reading what an event changed. */
export const INVOICES_PROJECTION = 'invoices';
