import type { Projection } from '../../../../libs/event-store/subscriptions.js';
import type { PaymentEvent } from '../../domain/payment.events.js';

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
};
