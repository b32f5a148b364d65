import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import type { Sql } from '../../../../libs/database/sql.js';
import type { InvoiceEvent, InvoiceGenerated } from '../../domain/invoice.js';
import { storedLines } from './invoices.query.js';
import { isEventOf } from '../../../../libs/event-store/aggregate.js';

/** The invoice read model; every status comes from the invoice's own stream, so updates are absolute. */
export const invoicesProjection = projection<InvoiceEvent>()({
  name: 'invoices',
  tables: ['invoices'],
  types: [
    'InvoiceGenerated',
    'InvoiceApproved',
    'InvoicePaymentStarted',
    'InvoicePaymentIntentCreated',
    'InvoicePaymentFailed',
    'InvoicePaid',
    'InvoiceVoided',
  ],
  async apply(event, sql) {
    const e = event;
    const at = event.occurredAt;
    switch (e.type) {
      case 'InvoiceGenerated':
        await insertInvoices([e], sql);
        return;
      case 'InvoiceApproved':
        await sql.query(`update invoices set status = 'approved', approved_at = $2, bank_details_encrypted = $3 where id = $1`, [
          e.data.invoiceId,
          at,
          e.data.bankDetails?.encrypted ?? null,
        ]);
        return;
      case 'InvoicePaymentStarted':
        await sql.query(`update invoices set status = 'processing', payment_attempt = $2, payment_intent_id = null, failure_reason = null where id = $1`, [
          e.data.invoiceId,
          e.data.attempt,
        ]);
        return;
      case 'InvoicePaymentIntentCreated':
        await sql.query('update invoices set payment_intent_id = $2 where id = $1', [e.data.invoiceId, e.data.paymentIntentId]);
        return;
      case 'InvoicePaymentFailed':
        await sql.query(`update invoices set status = 'payment_failed', failure_reason = $2 where id = $1`, [e.data.invoiceId, e.data.reason]);
        return;
      case 'InvoicePaid':
        await sql.query(
          `update invoices set status = 'paid', paid_method = $2, paid_reference = $3, payment_intent_id = coalesce($4, payment_intent_id), paid_at = $5 where id = $1`,
          [e.data.invoiceId, e.data.method, e.data.reference, e.data.paymentIntentId, e.data.paidAt],
        );
        return;
      case 'InvoiceVoided':
        await sql.query(`update invoices set status = 'void', voided_at = $2 where id = $1`, [e.data.invoiceId, at]);
        return;
    }
  },
  batchTypes: ['InvoiceGenerated'],
  async applyBatch(events, sql) {
    await insertInvoices(events.filter(isGenerated), sql);
  },
});

const isGenerated = isEventOf<InvoiceGenerated>()('InvoiceGenerated');

async function insertInvoices(events: readonly RecordedEvent<InvoiceGenerated>[], sql: Sql): Promise<void> {
  const rows = events.map((event) => ({ d: event.data, position: event.globalPosition, at: event.occurredAt }));
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await sql.query(
    `insert into invoices (id, company_id, partner_id, number, sequence, status, currency, total, lines, period_start, period_end, position, created_at, kind, carry_in, carry_out)
     select id, company_id, partner_id, number, sequence, 'pending_approval', currency, total, lines::jsonb, period_start, period_end, position, created_at, kind, carry_in, carry_out
     from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::int[]), unnest($6::text[]), unnest($7::bigint[]), json_array_elements($8::json),
       unnest($9::date[]), unnest($10::date[]), unnest($11::bigint[]), unnest($12::timestamptz[]), unnest($13::text[]), unnest($14::bigint[]), unnest($15::bigint[]))
       as x(id, company_id, partner_id, number, sequence, currency, total, lines, period_start, period_end, position, created_at, kind, carry_in, carry_out)
     on conflict (id) do nothing`,
    [
      col((r) => r.d.invoiceId),
      col((r) => r.d.companyId),
      col((r) => r.d.partnerId),
      col((r) => r.d.number),
      col((r) => r.d.sequence),
      col((r) => r.d.currency),
      col((r) => r.d.total),
      // one JSON array of every invoice's lines: a jsonb[] of large documents is slow to escape and to parse
      `[${col((r) => JSON.stringify(storedLines(r.d))).join(',')}]`,
      col((r) => r.d.periodStart),
      col((r) => r.d.periodEnd),
      col((r) => r.position),
      col((r) => r.at),
      col((r) => r.d.kind ?? 'payout'),
      col((r) => r.d.carry?.in ?? 0),
      col((r) => r.d.carry?.out ?? 0),
    ],
  );
}
