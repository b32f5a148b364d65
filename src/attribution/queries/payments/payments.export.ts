import { isoUtc, type ExportSource } from '../../../../libs/export/export-source.js';
import type { PaymentFilter, PaymentRow } from './payments.query.js';

type Row = Omit<PaymentRow, 'paid_at' | 'created_at'> & { paid_at: string; created_at: string };

export type PaymentExportFilter = Omit<PaymentFilter, 'cursor' | 'limit'>;

/** The payments list (same filters) as CSV rows; `from`/`to` compare when it was paid. */
export const paymentsExport: ExportSource<PaymentExportFilter, Row> = {
  dateField: 'paidAt',
  query: (companyId, f) => ({
    text: `select id, stripe_object_id, customer_id, email, amount, tax, net, refunded_amount, currency, attribution_status, attribution_method, lead_id, partner_id,
             charge_id, payment_intent_id, invoice_id, ${isoUtc('paid_at')}, ${isoUtc('created_at')}
           from payments where company_id = $1
             and ($2::text is null or attribution_status = $2) and ($3::text is null or customer_id = $3)
             and ($4::text is null or partner_id = $4) and ($5::text is null or lead_id = $5)
             and ($6::timestamptz is null or paid_at >= $6) and ($7::timestamptz is null or paid_at <= $7)
           order by position`,
    params: [companyId, f.attribution ?? null, f.customerId ?? null, f.partnerId ?? null, f.leadId ?? null, f.from ?? null, f.to ?? null],
  }),
  columns: [
    { header: 'id', kind: 'text', value: (r) => r.id },
    { header: 'stripeObjectId', kind: 'text', value: (r) => r.stripe_object_id },
    { header: 'customerId', kind: 'text', value: (r) => r.customer_id },
    { header: 'email', kind: 'text', value: (r) => r.email },
    { header: 'amount', kind: 'amount', value: (r) => r.amount, currency: (r) => r.currency },
    { header: 'tax', kind: 'amount', value: (r) => r.tax, currency: (r) => r.currency },
    { header: 'net', kind: 'amount', value: (r) => r.net, currency: (r) => r.currency },
    { header: 'refundedAmount', kind: 'amount', value: (r) => r.refunded_amount, currency: (r) => r.currency },
    { header: 'currency', kind: 'text', value: (r) => r.currency },
    { header: 'paidAt', kind: 'timestamp', value: (r) => r.paid_at },
    { header: 'attributionStatus', kind: 'text', value: (r) => r.attribution_status },
    { header: 'attributionMethod', kind: 'text', value: (r) => r.attribution_method },
    { header: 'leadId', kind: 'text', value: (r) => r.lead_id },
    { header: 'partnerId', kind: 'text', value: (r) => r.partner_id },
    { header: 'chargeId', kind: 'text', value: (r) => r.charge_id },
    { header: 'paymentIntentId', kind: 'text', value: (r) => r.payment_intent_id },
    { header: 'invoiceId', kind: 'text', value: (r) => r.invoice_id },
    { header: 'createdAt', kind: 'timestamp', value: (r) => r.created_at },
  ],
};
