import type { Projection } from '../../../../libs/event-store/subscriptions.js';
import type { LeadEvent } from '../../domain/lead.js';

export const leadsProjection: Projection = {
  name: 'leads',
  tables: ['leads'],
  async apply(event, sql) {
    const e = event as unknown as LeadEvent;
    if (e.type === 'LeadCreated') {
      const d = e.data;
      await sql.query(
        `insert into leads (id, company_id, partner_id, email, email_lower, name, position, created_at)
         values ($1, $2, $3, $4, lower($4), $5, $6, $7) on conflict (id) do nothing`,
        [d.leadId, d.companyId, d.partnerId, d.email, d.name, event.globalPosition, event.occurredAt],
      );
    } else if (e.type === 'LeadCustomerLinked') {
      await sql.query('update leads set stripe_customer_id = $2 where id = $1', [e.data.leadId, e.data.customerId]);
    }
  },
};
