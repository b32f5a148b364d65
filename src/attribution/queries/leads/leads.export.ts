import { isoUtc, type ExportSource } from '../../../../libs/export/export-source.js';
import type { LeadRow } from './leads.query.js';

type Row = Omit<LeadRow, 'created_at'> & { created_at: string };

export interface LeadExportFilter {
  email?: string;
  partnerId?: string;
}

/** The leads list (same filters) as CSV rows; `from`/`to` compare when the lead was created. */
export const leadsExport: ExportSource<LeadExportFilter, Row> = {
  dateField: 'createdAt',
  query: (companyId, f) => ({
    text: `select id, partner_id, email, name, stripe_customer_id, ${isoUtc('created_at')} from leads where company_id = $1 and ($2::text is null or email_lower = lower($2)) and ($3::text is null or partner_id = $3)
             and ($4::timestamptz is null or created_at >= $4) and ($5::timestamptz is null or created_at <= $5)
           order by position`,
    params: [companyId, f.email ?? null, f.partnerId ?? null, f.from ?? null, f.to ?? null],
  }),
  columns: [
    { header: 'id', kind: 'text', value: (r) => r.id },
    { header: 'partnerId', kind: 'text', value: (r) => r.partner_id },
    { header: 'email', kind: 'text', value: (r) => r.email },
    { header: 'name', kind: 'text', value: (r) => r.name },
    { header: 'stripeCustomerId', kind: 'text', value: (r) => r.stripe_customer_id },
    { header: 'createdAt', kind: 'timestamp', value: (r) => r.created_at },
  ],
};
