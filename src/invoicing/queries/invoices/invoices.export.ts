import { isoUtc, type ExportSource } from '../../../../libs/export/export-source.js';
import type { InvoiceFilter } from './invoices.query.js';

type Row = {
  id: string;
  partner_id: string;
  number: string;
  status: string;
  currency: string;
  total: string;
  period_start: string;
  period_end: string;
  payment_intent_id: string | null;
  failure_reason: string | null;
  paid_reference: string | null;
  paid_at: string | null;
  line_count: number;
  created_at: string;
};

/** The invoices list (same filters) as CSV rows, one per invoice (lines counted, not listed); `from`/`to` compare when it was generated. */
export const invoicesExport: ExportSource<InvoiceFilter, Row> = {
  dateField: 'createdAt',
  query: (companyId, f) => ({
    text: `select id, partner_id, number, status, currency, total, period_start::text, period_end::text, payment_intent_id, failure_reason, paid_reference, ${isoUtc('paid_at')}, ${isoUtc('created_at')},
             jsonb_array_length(case when jsonb_typeof(lines) = 'array' then lines else lines -> 'lines' end) as line_count
           from invoices where company_id = $1 and ($2::text is null or status = $2) and ($3::text is null or partner_id = $3)
             and ($4::timestamptz is null or created_at >= $4) and ($5::timestamptz is null or created_at <= $5)
           order by position`,
    params: [companyId, f.status ?? null, f.partnerId ?? null, f.from ?? null, f.to ?? null],
  }),
  columns: [
    { header: 'id', kind: 'text', value: (r) => r.id },
    { header: 'number', kind: 'text', value: (r) => r.number },
    { header: 'partnerId', kind: 'text', value: (r) => r.partner_id },
    { header: 'status', kind: 'text', value: (r) => r.status },
    { header: 'total', kind: 'amount', value: (r) => r.total, currency: (r) => r.currency },
    { header: 'currency', kind: 'text', value: (r) => r.currency },
    { header: 'lines', kind: 'integer', value: (r) => r.line_count },
    { header: 'periodStart', kind: 'text', value: (r) => r.period_start },
    { header: 'periodEnd', kind: 'text', value: (r) => r.period_end },
    { header: 'paymentIntentId', kind: 'text', value: (r) => r.payment_intent_id },
    { header: 'failureReason', kind: 'text', value: (r) => r.failure_reason },
    { header: 'paidReference', kind: 'text', value: (r) => r.paid_reference },
    { header: 'paidAt', kind: 'timestamp', value: (r) => r.paid_at },
    { header: 'createdAt', kind: 'timestamp', value: (r) => r.created_at },
  ],
};
