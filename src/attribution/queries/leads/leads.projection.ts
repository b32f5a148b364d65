import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { LeadEvent } from '../../domain/lead.js';
import { columnsOf, RowPatches } from '../../../../libs/event-store/batch-sql.js';

export const leadsProjection = projection<LeadEvent>()({
  name: 'leads',
  tables: ['leads'],
  types: ['LeadCreated', 'LeadCustomerLinked'],
  async apply(event, sql) {
    if (event.type === 'LeadCreated') {
      const d = event.data;
      await sql.query(
        `insert into leads (id, company_id, partner_id, email, email_lower, name, position, created_at)
         values ($1, $2, $3, $4, lower($4), $5, $6, $7) on conflict (id) do nothing`,
        [d.leadId, d.companyId, d.partnerId, d.email, d.name, event.globalPosition, event.occurredAt],
      );
    } else if (event.type === 'LeadCustomerLinked') {
      await sql.query('update leads set stripe_customer_id = $2 where id = $1', [event.data.leadId, event.data.customerId]);
    }
  },
  /**
   * Replay speed: the same writes as `apply`, one statement per kind for a run of events; a link to a
   * lead created in the same run is written with the insert.
   */
  batchTypes: ['LeadCreated', 'LeadCustomerLinked'],
  async applyBatch(events, sql) {
    const created = new Map<string, unknown[]>();
    const linked = new RowPatches();
    for (const e of events) {
      if (e.type === 'LeadCreated')
        created.set(e.data.leadId, [e.data.leadId, e.data.companyId, e.data.partnerId, e.data.email, e.data.name, null, e.globalPosition, e.occurredAt]);
      else if (e.type !== 'LeadCustomerLinked') continue;
      else if (created.has(e.data.leadId)) created.get(e.data.leadId)![5] = e.data.customerId;
      else linked.set(e.data.leadId, 'stripe_customer_id', e.data.customerId);
    }
    if (created.size) {
      await sql.query(
        `insert into leads (id, company_id, partner_id, email, email_lower, name, stripe_customer_id, position, created_at)
         select id, company_id, partner_id, email, lower(email), name, customer_id, position, created_at
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::timestamptz[]) as r(id, company_id, partner_id, email, name, customer_id, position, created_at)
         on conflict (id) do update set stripe_customer_id = excluded.stripe_customer_id where excluded.stripe_customer_id is not null`,
        columnsOf([...created.values()], 8),
      );
    }
    await linked.write(sql, 'leads', 'id', { stripe_customer_id: 'text' });
  },
});
