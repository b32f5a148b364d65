import { isoUtc, type ExportSource } from '../../../../libs/export/export-source.js';
import type { CommissionStatus } from '../../domain/commission.js';

export interface CommissionExportFilter {
  partnerId?: string;
  status?: CommissionStatus;
}

type Row = {
  id: string;
  partner_id: string;
  lead_id: string;
  payment_id: string;
  kind: string;
  amount: string;
  earned: string;
  reversed_total: string;
  currency: string;
  effective_status: string;
  payable_at: string;
  paid_at: string;
  invoice_id: string | null;
  reverses_commission_id: string | null;
  created_at: string;
  flags: { code: string }[];
  decline_reason: string | null;
};

/** The commissions list (same filters, same effective status) as CSV rows; `from`/`to` compare when it was earned. */
export const commissionsExport: ExportSource<CommissionExportFilter, Row> = {
  dateField: 'createdAt',
  query: (companyId, f, now) => ({
    text: `select id, partner_id, lead_id, payment_id, kind, amount, earned, reversed_total, currency, invoice_id, reverses_commission_id, flags, decline_reason,
             ${isoUtc('payable_at')}, ${isoUtc('paid_at')}, ${isoUtc('created_at')},
             case when status = 'pending' and payable_at <= $2 then 'payable' else status end as effective_status
           from commissions
           where company_id = $1 and ($3::text is null or partner_id = $3)
             and ($4::text is null or (case when status = 'pending' and payable_at <= $2 then 'payable' else status end) = $4)
             and ($5::timestamptz is null or created_at >= $5) and ($6::timestamptz is null or created_at <= $6)
           order by position`,
    params: [companyId, now, f.partnerId ?? null, f.status ?? null, f.from ?? null, f.to ?? null],
  }),
  columns: [
    { header: 'id', kind: 'text', value: (r) => r.id },
    { header: 'partnerId', kind: 'text', value: (r) => r.partner_id },
    { header: 'leadId', kind: 'text', value: (r) => r.lead_id },
    { header: 'paymentId', kind: 'text', value: (r) => r.payment_id },
    { header: 'kind', kind: 'text', value: (r) => r.kind },
    { header: 'status', kind: 'text', value: (r) => r.effective_status },
    { header: 'amount', kind: 'amount', value: (r) => r.amount, currency: (r) => r.currency },
    { header: 'earnedAmount', kind: 'amount', value: (r) => r.earned, currency: (r) => r.currency },
    { header: 'reversedAmount', kind: 'amount', value: (r) => r.reversed_total, currency: (r) => r.currency },
    { header: 'currency', kind: 'text', value: (r) => r.currency },
    { header: 'invoiceId', kind: 'text', value: (r) => r.invoice_id },
    { header: 'reversesCommissionId', kind: 'text', value: (r) => r.reverses_commission_id },
    { header: 'paidAt', kind: 'timestamp', value: (r) => r.paid_at },
    { header: 'payableAt', kind: 'timestamp', value: (r) => r.payable_at },
    { header: 'createdAt', kind: 'timestamp', value: (r) => r.created_at },
    { header: 'flags', kind: 'text', value: (r) => (r.flags ?? []).map((f) => f.code).join(' ') },
    { header: 'declineReason', kind: 'text', value: (r) => r.decline_reason },
  ],
};
