import type { Projection } from '../../../../libs/event-store/subscriptions.js';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import type { Sql } from '../../../../libs/database/sql.js';
import { columnsOf } from '../../../../libs/event-store/batch-sql.js';
import type { CheckoutPaymentClaimed, LeadCreated, LeadCustomerLinked, PaymentAttributed, PaymentRefunded } from '../../../attribution/index.js';
import type { CommissionEarned, CommissionReversed } from '../../../commissions/index.js';
import type { ClickRecorded } from '../../domain/click.js';
import { refundedNet, utcDay, type FunnelKind } from '../../domain/funnel.js';

type FunnelEvent = ClickRecorded | LeadCreated | LeadCustomerLinked | CheckoutPaymentClaimed | PaymentAttributed | PaymentRefunded | CommissionEarned | CommissionReversed;
type Counter = 'clicks' | 'leads' | 'customers' | 'paying_customers';

async function bump(sql: Sql, companyId: string, partnerId: string, day: string, counter: Counter, n = 1): Promise<void> {
  await sql.query(
    `insert into funnel_days (company_id, partner_id, day, ${counter}) values ($1, $2, $3, $4)
     on conflict (company_id, partner_id, day) do update set ${counter} = funnel_days.${counter} + excluded.${counter}`,
    [companyId, partnerId, day, n],
  );
}

async function add(sql: Sql, companyId: string, partnerId: string, day: string, kind: FunnelKind, currency: string, amount: number): Promise<void> {
  if (amount === 0) return;
  await sql.query(
    `insert into funnel_amounts (company_id, partner_id, day, kind, currency, amount) values ($1, $2, $3, $4, $5, $6)
     on conflict (company_id, partner_id, day, kind, currency) do update set amount = funnel_amounts.amount + excluded.amount`,
    [companyId, partnerId, day, kind, currency, amount],
  );
}

/**
 * Per partner per UTC day, pre-aggregated, so a funnel over a year reads at most 366 rows whatever the clicks
 * (domain/funnel.ts says what each figure counts). Counters are added to, not set: an event is applied exactly once
 * because the runner commits these writes with the projection's checkpoint (a failed page is rolled back whole),
 * and a rebuild truncates and replays; `funnel_leads` (upserted by whichever of a lead's events comes first) and
 * `funnel_payments` (on conflict do nothing) make the "created", "first customer", "first payment" and "attributed
 * once" decisions that the counters follow.
 */
export const funnelProjection: Projection = {
  name: 'tracking_funnel',
  tables: ['funnel_days', 'funnel_amounts', 'funnel_leads', 'funnel_payments'],
  types: ['ClickRecorded', 'LeadCreated', 'LeadCustomerLinked', 'CheckoutPaymentClaimed', 'PaymentAttributed', 'PaymentRefunded', 'CommissionEarned', 'CommissionReversed'],
  async apply(event: RecordedEvent, sql: Sql) {
    const e = event as unknown as FunnelEvent;
    switch (e.type) {
      case 'ClickRecorded':
        return bump(sql, e.data.companyId, e.data.partnerId, utcDay(e.data.at), 'clicks');
      case 'LeadCreated': {
        const created = await sql.query(
          `insert into funnel_leads (lead_id, company_id, partner_id, created) values ($1, $2, $3, true)
           on conflict (lead_id) do update set created = true where funnel_leads.created = false returning lead_id`,
          [e.data.leadId, e.data.companyId, e.data.partnerId],
        );
        if (created.length) await bump(sql, e.data.companyId, e.data.partnerId, utcDay(event.occurredAt), 'leads');
        return;
      }
      case 'LeadCustomerLinked':
      case 'CheckoutPaymentClaimed': {
        // A guest checkout (no Stripe customer) makes its lead a customer too; claims from before partnerId was recorded are not counted.
        if (!e.data.partnerId) return;
        const day = utcDay(event.occurredAt);
        const [first] = await sql.query(
          `insert into funnel_leads (lead_id, company_id, partner_id, customer_day) values ($1, $2, $3, $4)
           on conflict (lead_id) do update set customer_day = excluded.customer_day where funnel_leads.customer_day is null returning lead_id`,
          [e.data.leadId, e.data.companyId, e.data.partnerId, day],
        );
        if (first) await bump(sql, e.data.companyId, e.data.partnerId, day, 'customers');
        return;
      }
      case 'PaymentAttributed': {
        const d = e.data;
        const refunded = d.refundedAmount ?? 0;
        const inserted = await sql.query(
          `insert into funnel_payments (payment_id, company_id, partner_id, amount, net, currency, refunded) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning payment_id`,
          [d.paymentId, d.companyId, d.partnerId, d.amount, d.net, d.currency, refunded],
        );
        if (!inserted.length) return;
        const day = utcDay(d.paidAt);
        await add(sql, d.companyId, d.partnerId, day, 'revenue', d.currency, d.net - refundedNet(d, refunded));
        // A payment can be appended before the lead it creates (a promotion code's new lead): upserted, so either order counts.
        const [first] = await sql.query(
          `insert into funnel_leads (lead_id, company_id, partner_id, paid_day) values ($1, $2, $3, $4)
           on conflict (lead_id) do update set paid_day = excluded.paid_day where funnel_leads.paid_day is null returning lead_id`,
          [d.leadId, d.companyId, d.partnerId, day],
        );
        if (first) await bump(sql, d.companyId, d.partnerId, day, 'paying_customers');
        return;
      }
      case 'PaymentRefunded': {
        const d = e.data;
        const [p] = await sql.query<{ company_id: string; partner_id: string; amount: string; net: string; currency: string; refunded: string }>(`select * from funnel_payments where payment_id = $1`, [d.paymentId]);
        if (!p || Number(p.refunded) >= d.refundedTotal) return;
        const payment = { amount: Number(p.amount), net: Number(p.net), currency: p.currency };
        await sql.query(`update funnel_payments set refunded = $2 where payment_id = $1`, [d.paymentId, d.refundedTotal]);
        await add(sql, p.company_id, p.partner_id, utcDay(d.occurredAt), 'revenue', p.currency, refundedNet(payment, Number(p.refunded)) - refundedNet(payment, d.refundedTotal));
        return;
      }
      case 'CommissionEarned':
        // A reversal-kind commission carries a CommissionReversed into the next invoice: that reversal is counted already.
        if (e.data.kind !== 'payment') return;
        return add(sql, e.data.companyId, e.data.partnerId, utcDay(e.data.paidAt), 'commission', e.data.currency, e.data.amount);
      case 'CommissionReversed':
        return add(sql, e.data.companyId, e.data.partnerId, utcDay(event.occurredAt), 'commission', e.data.currency, -e.data.amount);
    }
  },
  /** Replays and bursts of clicks: one upsert per run of clicks. */
  batchTypes: ['ClickRecorded'],
  async applyBatch(events, sql) {
    const counts = new Map<string, [string, string, string, number]>();
    for (const event of events) {
      const d = (event as unknown as ClickRecorded).data;
      const day = utcDay(d.at);
      const k = `${d.companyId}\n${d.partnerId}\n${day}`;
      const row = counts.get(k) ?? counts.set(k, [d.companyId, d.partnerId, day, 0]).get(k)!;
      row[3]++;
    }
    await sql.query(
      `insert into funnel_days (company_id, partner_id, day, clicks)
       select * from unnest($1::text[], $2::text[], $3::date[], $4::bigint[])
       on conflict (company_id, partner_id, day) do update set clicks = funnel_days.clicks + excluded.clicks`,
      columnsOf([...counts.values()], 4),
    );
  },
};
