import type { Projection } from '../../../../libs/event-store/subscriptions.js';
import type { PartnerEvent } from '../../domain/partner.js';

const columns = { name: 'name', email: 'email', currency: 'currency', commissionPlan: 'commission_plan' } as const;

export const partnersProjection: Projection = {
  name: 'partners',
  tables: ['partners'],
  async apply(event, sql) {
    const e = event as unknown as PartnerEvent;
    if (e.type === 'PartnerCreated') {
      const d = e.data;
      await sql.query(
        `insert into partners (id, company_id, name, email, currency, referral_key, commission_plan, position, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do nothing`,
        [d.partnerId, d.companyId, d.name, d.email, d.currency, d.referralKey, d.commissionPlan && JSON.stringify(d.commissionPlan), event.globalPosition, event.occurredAt],
      );
    } else if (e.type === 'PartnerUpdated') {
      for (const [key, column] of Object.entries(columns)) {
        const value = e.data[key as keyof typeof columns];
        if (value === undefined) continue;
        await sql.query(`update partners set ${column} = $2 where id = $1`, [e.data.partnerId, value !== null && typeof value === 'object' ? JSON.stringify(value) : value]);
      }
    }
  },
};
