import type { Projection } from '../../../../libs/event-store/subscriptions.js';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import type { Sql } from '../../../../libs/database/sql.js';
import { postingsFor, type InvoiceEntries, type Posting } from '../../domain/ledger.js';

const TYPES = new Set([
  'CommissionEarned',
  'CommissionReversed',
  'CommissionApproved',
  'CommissionDeclined',
  'InvoiceGenerated',
  'InvoiceVoided',
  'InvoicePaid',
]);

/** Entries keyed by (event position, index), so a replay inserts nothing twice. */
async function insert(sql: Sql, entries: { position: number; seq: number; p: Posting }[]): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(f: (e: (typeof entries)[number]) => T) => entries.map(f);
  await sql.query(
    `insert into ledger_entries (position, seq, tx, company_id, partner_id, account, currency, amount, effective_at, commission_id, invoice_id)
     select * from unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::timestamptz[], $10::text[], $11::text[])
     on conflict (position, seq) do nothing`,
    [
      col((e) => e.position),
      col((e) => e.seq),
      col((e) => e.p.tx),
      col((e) => e.p.companyId),
      col((e) => e.p.partnerId),
      col((e) => e.p.account),
      col((e) => e.p.currency),
      col((e) => e.p.amount),
      col((e) => e.p.effectiveAt),
      col((e) => e.p.commissionId),
      col((e) => e.p.invoiceId),
    ],
  );
}

const entriesOf = (event: RecordedEvent, generation: InvoiceEntries = []) =>
  postingsFor(event, event.occurredAt.toISOString(), () => generation).map((p, seq) => ({ position: event.globalPosition, seq, p }));

/** The double-entry ledger. Voids and payments undo or settle what the invoice's generation posted, read back from the ledger itself. */
export const ledgerProjection: Projection = {
  name: 'ledger',
  tables: ['ledger_entries'],
  types: ['CommissionEarned', 'CommissionReversed', 'CommissionApproved', 'CommissionDeclined', 'InvoiceGenerated', 'InvoiceVoided', 'InvoicePaid'],
  async apply(event, sql) {
    if (!TYPES.has(event.type)) return;
    let generation: InvoiceEntries = [];
    if (event.type === 'InvoiceVoided' || event.type === 'InvoicePaid') {
      const rows = await sql.query<{ account: InvoiceEntries[number]['account']; currency: string; amount: string }>(
        `select account, currency, sum(amount) as amount from ledger_entries where invoice_id = $1 and tx like 'invoiced\\_%' group by account, currency order by account, currency`,
        [(event.data as { invoiceId: string }).invoiceId],
      );
      generation = rows.map((r) => ({ account: r.account, currency: r.currency, amount: Number(r.amount) }));
    }
    await insert(sql, entriesOf(event, generation));
  },
  /** Postings of these depend on the event alone, so a run of them is one insert. */
  batchTypes: ['CommissionEarned', 'CommissionReversed', 'InvoiceGenerated'],
  async applyBatch(events, sql) {
    await insert(
      sql,
      events.flatMap((e) => entriesOf(e)),
    );
  },
};
