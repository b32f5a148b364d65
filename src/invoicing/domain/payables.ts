/**
 * The company's payables stream: the guard of invoicing and the invoice counter in one. Whatever changes which
 * commissions an invoice may take appends here, with the version the decision was read at: an invoice run
 * (one `InvoiceNumberAssigned` per invoice, so numbers are gap-free and sequential) and the reduction of a
 * payable commission by a refund (`PayablesChanged`). The commissions read model records the version it has
 * applied, in the same transaction as the commission statuses. A run or a reduction decided on a stale read
 * model, or racing another, therefore fails with WrongExpectedVersion: no commission can be on two live
 * invoices, and no invoice can carry an amount a refund already cut. In an atomic append this stream comes
 * after the events it guards, so a projection batch ending mid-transaction never shows the new version early.
 */
export const payablesStream = (companyId: string) => `payables-${companyId}`;

/**
 * `reversalId`: the refund reducing the commission, appended before the commission's `CommissionReversed` (where
 * several streams are not written atomically, this is the reservation: until that reversal is recorded, no run
 * invoices the commission). Absent on events before it.
 */
export type PayablesChanged = {
  type: 'PayablesChanged';
  data: { companyId: string; partnerId: string; commissionId: string; cause: 'commission_reduced'; reversalId?: string };
};
