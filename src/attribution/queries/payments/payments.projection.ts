import type { Projection } from '../../../../libs/event-store/subscriptions.js';
import type { PaymentEvent } from '../../domain/payment.events.js';
import { columnsOf, RowPatches } from '../../../../libs/event-store/batch-sql.js';

export const paymentsProjection: Projection = {
  name: 'payments',
  tables: ['payments'],
  async apply(event, sql) {
    const e = event as unknown as PaymentEvent;
    switch (e.type) {
      case 'PaymentRecorded': {
        const d = e.data;
        await sql.query(
          `insert into payments (id, company_id, stripe_object_id, charge_id, payment_intent_id, invoice_id, customer_id, email, amount, tax, net, currency, paid_at, stripe_event_id, position, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) on conflict (id) do nothing`,
          [d.paymentId, d.companyId, d.stripeObjectId, d.chargeId, d.paymentIntentId, d.invoiceId, d.customerId, d.email, d.amount, d.tax, d.net, d.currency, d.paidAt, d.stripeEventId, event.globalPosition, event.occurredAt],
        );
        return;
      }
      case 'PaymentAttributed':
        await sql.query(
          `update payments set attribution_status = 'attributed', attribution_method = $2, lead_id = $3, partner_id = $4, trace = $5 where id = $1`,
          [e.data.paymentId, e.data.method, e.data.leadId, e.data.partnerId, JSON.stringify(e.data.trace)],
        );
        return;
      case 'PaymentUnattributed':
        await sql.query(`update payments set attribution_status = 'unattributed', attribution_method = null, lead_id = null, partner_id = null, trace = $2 where id = $1`, [e.data.paymentId, JSON.stringify(e.data.trace)]);
        return;
      case 'PaymentRefunded':
        await sql.query('update payments set refunded_amount = $2 where id = $1', [e.data.paymentId, e.data.refundedTotal]);
        return;
    }
  },
  /** Replay speed: the same writes as `apply`, one insert for the run's new payments, then the absolute updates folded per row. */
  batchTypes: ['PaymentRecorded', 'PaymentAttributed', 'PaymentUnattributed', 'PaymentRefunded'],
  async applyBatch(events, sql) {
    const recorded: unknown[][] = [];
    const patches = new RowPatches();
    for (const event of events) {
      const e = event as unknown as PaymentEvent;
      if (e.type === 'PaymentRecorded') {
        const d = e.data;
        recorded.push([d.paymentId, d.companyId, d.stripeObjectId, d.chargeId, d.paymentIntentId, d.invoiceId, d.customerId, d.email, d.amount, d.tax, d.net, d.currency, d.paidAt, d.stripeEventId, event.globalPosition, event.occurredAt]);
      } else if (e.type === 'PaymentAttributed' || e.type === 'PaymentUnattributed') {
        const attributed = e.type === 'PaymentAttributed' ? e.data : null;
        patches.set(e.data.paymentId, 'attribution_status', attributed ? 'attributed' : 'unattributed');
        patches.set(e.data.paymentId, 'attribution_method', attributed?.method ?? null);
        patches.set(e.data.paymentId, 'lead_id', attributed?.leadId ?? null);
        patches.set(e.data.paymentId, 'partner_id', attributed?.partnerId ?? null);
        patches.set(e.data.paymentId, 'trace', JSON.stringify(e.data.trace));
      } else if (e.type === 'PaymentRefunded') {
        patches.set(e.data.paymentId, 'refunded_amount', e.data.refundedTotal);
      }
    }
    if (recorded.length) {
      await sql.query(
        `insert into payments (id, company_id, stripe_object_id, charge_id, payment_intent_id, invoice_id, customer_id, email, amount, tax, net, currency, paid_at, stripe_event_id, position, created_at)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $13::timestamptz[], $14::text[], $15::bigint[], $16::timestamptz[])
         on conflict (id) do nothing`,
        columnsOf(recorded, 16),
      );
    }
    await patches.write(sql, 'payments', 'id', { attribution_status: 'text', attribution_method: 'text', lead_id: 'text', partner_id: 'text', trace: 'jsonb', refunded_amount: 'bigint' });
  },
};
