import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { InvoiceEvent, PayoutAttemptPrepared } from '../../../invoicing/index.js';

/** Every Pay attempt and how it ended; the recovery job finds the open ones here. */
export const payoutAttemptsProjection = projection<
  Extract<InvoiceEvent, { type: 'InvoicePaymentIntentCreated' | 'InvoicePaid' | 'InvoicePaymentFailed' }> | PayoutAttemptPrepared
>()({
  name: 'payout_attempts',
  tables: ['payout_attempts'],
  types: ['PayoutAttemptPrepared', 'InvoicePaymentIntentCreated', 'InvoicePaid', 'InvoicePaymentFailed'],
  async apply(event, sql) {
    const e = event;
    switch (e.type) {
      case 'PayoutAttemptPrepared': {
        const d = e.data;
        await sql.query(
          `insert into payout_attempts (company_id, invoice_id, attempt, partner_id, idempotency_key, amount, currency, status, started_at, position)
           values ($1, $2, $3, $4, $5, $6, $7, 'sending', $8, $9) on conflict do nothing`,
          [d.companyId, d.invoiceId, d.attempt, d.partnerId, d.idempotencyKey, d.amount, d.currency, event.occurredAt, event.globalPosition],
        );
        return;
      }
      case 'InvoicePaymentIntentCreated':
        await sql.query(
          `update payout_attempts set payment_intent_id = $4, status = case when status = 'sending' then 'intent_created' else status end
           where company_id = $1 and invoice_id = $2 and attempt = $3`,
          [e.data.companyId, e.data.invoiceId, e.data.attempt, e.data.paymentIntentId],
        );
        return;
      case 'InvoicePaid':
        if (e.data.method !== 'stripe') return;
        await sql.query(
          `update payout_attempts set status = 'succeeded', payment_intent_id = coalesce($3, payment_intent_id)
           where company_id = $1 and invoice_id = $2 and status in ('sending', 'intent_created')`,
          [e.data.companyId, e.data.invoiceId, e.data.paymentIntentId],
        );
        return;
      case 'InvoicePaymentFailed':
        await sql.query(
          `update payout_attempts set status = 'failed', failure_reason = $4, payment_intent_id = coalesce($5, payment_intent_id)
           where company_id = $1 and invoice_id = $2 and attempt = $3`,
          [e.data.companyId, e.data.invoiceId, e.data.attempt, e.data.reason, e.data.paymentIntentId],
        );
        return;
    }
  },
});
