import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { PaymentEvent, PaymentRecorded } from '../../domain/payment.events.js';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import { columnsOf, RowPatches } from '../../../../libs/event-store/batch-sql.js';

/** The columns a `PaymentRecorded` fills, in the order both `apply` and `applyBatch` insert them. */
const recordedValues = (d: PaymentRecorded['data'], event: RecordedEvent): unknown[] => [
  d.paymentId,
  d.companyId,
  d.stripeObjectId,
  d.chargeId,
  d.paymentIntentId,
  d.invoiceId,
  d.customerId,
  d.email,
  d.amount,
  d.tax,
  d.net,
  d.currency,
  d.paidAt,
  d.stripeEventId,
  event.globalPosition,
  event.occurredAt,
];

const excludedOf = (d: { commissionExcluded?: unknown }): string | null => (d.commissionExcluded ? JSON.stringify(d.commissionExcluded) : null);

export const paymentsProjection = projection<PaymentEvent>()({
  name: 'payments',
  tables: ['payments'],
  types: ['PaymentRecorded', 'PaymentAttributed', 'PaymentUnattributed', 'PaymentRefunded'],
  async apply(e, sql) {
    switch (e.type) {
      case 'PaymentRecorded': {
        const d = e.data;
        await sql.query(
          `insert into payments (id, company_id, stripe_object_id, charge_id, payment_intent_id, invoice_id, customer_id, email, amount, tax, net, currency, paid_at, stripe_event_id, position, created_at, commission_excluded)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) on conflict (id) do nothing`,
          [...recordedValues(d, e), excludedOf(d)],
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
        await sql.query(
          `update payments set attribution_status = 'unattributed', attribution_method = null, lead_id = null, partner_id = null, trace = $2 where id = $1`,
          [e.data.paymentId, JSON.stringify(e.data.trace)],
        );
        return;
      case 'PaymentRefunded':
        await sql.query('update payments set refunded_amount = $2 where id = $1', [e.data.paymentId, e.data.refundedTotal]);
        return;
    }
  },
  /**
   * Replay speed: the same writes as `apply`. A payment recorded in the run is inserted with the
   * attribution and refund that follow it in the run already folded in (one write per row instead of
   * two); updates to rows from earlier runs are folded per row into one statement. A payment whose
   * insert finds the row already there gets its folded updates written as `apply` would have.
   */
  batchTypes: ['PaymentRecorded', 'PaymentAttributed', 'PaymentUnattributed', 'PaymentRefunded'],
  async applyBatch(events, sql) {
    const recorded = new Map<string, unknown[]>();
    const foldedPatches = new RowPatches();
    const patches = new RowPatches();
    const patch = (id: string, column: keyof typeof FOLDED, value: unknown) => {
      const row = recorded.get(id);
      if (row) {
        row[FOLDED[column]] = value;
        foldedPatches.set(id, column, value);
      } else patches.set(id, column, value);
    };
    for (const e of events) {
      if (e.type === 'PaymentRecorded') {
        const d = e.data;
        if (recorded.has(d.paymentId)) continue;
        recorded.set(d.paymentId, [...recordedValues(d, e), 'unattributed', null, null, null, '[]', 0, excludedOf(d)]);
      } else if (e.type === 'PaymentAttributed' || e.type === 'PaymentUnattributed') {
        const attributed = e.type === 'PaymentAttributed' ? e.data : null;
        patch(e.data.paymentId, 'attribution_status', attributed ? 'attributed' : 'unattributed');
        patch(e.data.paymentId, 'attribution_method', attributed?.method ?? null);
        patch(e.data.paymentId, 'lead_id', attributed?.leadId ?? null);
        patch(e.data.paymentId, 'partner_id', attributed?.partnerId ?? null);
        patch(e.data.paymentId, 'trace', JSON.stringify(e.data.trace));
      } else if (e.type === 'PaymentRefunded') {
        patch(e.data.paymentId, 'refunded_amount', e.data.refundedTotal);
      }
    }
    if (recorded.size) {
      const inserted = await sql.query<{ id: string }>(
        `insert into payments (id, company_id, stripe_object_id, charge_id, payment_intent_id, invoice_id, customer_id, email, amount, tax, net, currency, paid_at, stripe_event_id, position, created_at,
                               attribution_status, attribution_method, lead_id, partner_id, trace, refunded_amount, commission_excluded)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $13::timestamptz[], $14::text[], $15::bigint[], $16::timestamptz[],
                              $17::text[], $18::text[], $19::text[], $20::text[], $21::jsonb[], $22::bigint[], $23::jsonb[])
         on conflict (id) do nothing returning id`,
        columnsOf([...recorded.values()], 23),
      );
      for (const { id } of inserted) foldedPatches.delete(id);
      await foldedPatches.write(sql, 'payments', 'id', PATCH_TYPES);
    }
    await patches.write(sql, 'payments', 'id', PATCH_TYPES);
  },
});

const PATCH_TYPES = {
  attribution_status: 'text',
  attribution_method: 'text',
  lead_id: 'text',
  partner_id: 'text',
  trace: 'jsonb',
  refunded_amount: 'bigint',
} as const;
/** Where each updatable column sits in a row of the batch insert. */
const FOLDED = { attribution_status: 16, attribution_method: 17, lead_id: 18, partner_id: 19, trace: 20, refunded_amount: 21 } as const;
