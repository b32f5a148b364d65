import { isoUtc, type ExportSource } from '../../../../libs/export/export-source.js';
import type { PartnerRow } from './partners.query.js';

type Row = Omit<PartnerRow, 'created_at'> & { created_at: string };

export interface PartnerExportFilter {
  email?: string;
}

/** The partners list (same filter) as CSV rows, bank details masked as in the API; `from`/`to` compare when the partner was created. */
export const partnersExport: ExportSource<PartnerExportFilter, Row> = {
  dateField: 'createdAt',
  query: (companyId, f) => ({
    text: `select id, name, email, currency, referral_key, commission_plan, stripe_account_id, payouts_enabled, bank_details_masked, active, ${isoUtc('created_at')}
           from partners where company_id = $1 and ($2::text is null or lower(email) = lower($2))
             and ($3::timestamptz is null or created_at >= $3) and ($4::timestamptz is null or created_at <= $4)
           order by position`,
    params: [companyId, f.email ?? null, f.from ?? null, f.to ?? null],
  }),
  columns: [
    { header: 'id', kind: 'text', value: (r) => r.id },
    { header: 'name', kind: 'text', value: (r) => r.name },
    { header: 'email', kind: 'text', value: (r) => r.email },
    { header: 'currency', kind: 'text', value: (r) => r.currency },
    { header: 'referralKey', kind: 'text', value: (r) => r.referral_key },
    { header: 'active', kind: 'boolean', value: (r) => r.active },
    { header: 'commissionPlan', kind: 'json', value: (r) => r.commission_plan },
    { header: 'stripeAccountId', kind: 'text', value: (r) => r.stripe_account_id },
    { header: 'payoutsEnabled', kind: 'boolean', value: (r) => (r.stripe_account_id ? r.payouts_enabled : null) },
    { header: 'bankDetails', kind: 'json', value: (r) => r.bank_details_masked },
    { header: 'createdAt', kind: 'timestamp', value: (r) => r.created_at },
  ],
};
