import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { Sql } from '../../../../libs/database/sql.js';
import type { CommissionEvent } from '../../domain/commission.js';
import type { InvoiceGenerated, InvoiceNumberAssigned, InvoicePaid, InvoiceVoided, PayablesChanged } from '../../../invoicing/index.js';
import { isEventOf } from '../../../../libs/event-store/aggregate.js';

type Read = CommissionEvent | PayablesChanged | InvoiceNumberAssigned | InvoiceGenerated | InvoiceVoided | InvoicePaid;

/**
 * Commissions with their status, plus what invoice runs decide on: the company's payables version and invoice
 * count applied, and the live invoice per partner and period. One projection, so the three are always consistent.
 */
export const commissionsProjection = projection<Read>()({
  name: 'commissions',
  tables: ['commissions', 'payables_guards', 'invoice_periods'],
  types: [
    'CommissionEarned',
    'CommissionBecamePayable',
    'CommissionReversed',
    'CommissionApproved',
    'CommissionDeclined',
    'PayablesChanged',
    'InvoiceNumberAssigned',
    'InvoiceGenerated',
    'InvoiceVoided',
    'InvoicePaid',
  ],
  async apply(event, sql) {
    const e = event;
    switch (e.type) {
      case 'CommissionEarned': {
        const d = e.data;
        await sql.query(
          `insert into commissions (id, company_id, partner_id, lead_id, payment_id, kind, amount, earned, currency, status, paid_at, payable_at, plan, plan_source, reverses_commission_id, version, position, created_at, flags, review)
           values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) on conflict (id) do nothing`,
          [
            d.commissionId,
            d.companyId,
            d.partnerId,
            d.leadId,
            d.paymentId,
            d.kind,
            d.amount,
            d.currency,
            d.kind === 'reversal' ? 'payable' : d.review?.required ? 'pending_review' : 'pending',
            d.paidAt,
            d.payableAt,
            d.plan && JSON.stringify(d.plan),
            d.planSource,
            d.reversesCommissionId,
            event.version,
            event.globalPosition,
            event.occurredAt,
            JSON.stringify(d.review?.flags ?? []),
            d.review?.mode ?? null,
          ],
        );
        return;
      }
      case 'CommissionBecamePayable':
        await sql.query(`update commissions set status = case when status = 'pending' then 'payable' else status end, version = $2 where id = $1`, [
          e.data.commissionId,
          event.version,
        ]);
        return;
      case 'CommissionReversed': {
        const d = e.data;
        await sql.query(
          `update commissions set reversed_total = $2, amount = $3::bigint, status = case when $3::bigint = 0 then 'reversed' else status end, version = $4,
             reducing = case when reducing = $5 then null else reducing end, reversal_ids = array_append(reversal_ids, $5) where id = $1`,
          [d.commissionId, d.reversedTotal, d.remaining, event.version, d.reversalId],
        );
        return;
      }
      case 'CommissionApproved':
        await sql.query(
          `update commissions set status = case when status = 'pending_review' then 'pending' else status end, reviewed_at = $2, version = $3 where id = $1`,
          [e.data.commissionId, e.data.approvedAt, event.version],
        );
        return;
      case 'CommissionDeclined':
        await sql.query(
          `update commissions set status = case when status = 'pending_review' then 'declined' else status end, decline_reason = $2, reviewed_at = $3, version = $4 where id = $1`,
          [e.data.commissionId, e.data.reason, e.data.declinedAt, event.version],
        );
        return;
      case 'PayablesChanged':
      case 'InvoiceNumberAssigned':
        // A reduction's reservation, unless its reversal was applied already (a replay, or a retry that appended the reservation again).
        if (e.type === 'PayablesChanged' && e.data.reversalId) {
          await sql.query(`update commissions set reducing = $2 where id = $1 and not ($2 = any(reversal_ids))`, [e.data.commissionId, e.data.reversalId]);
        }
        // The run's decision carrying its invoice (stores without atomic multi-stream appends): its commissions are on that
        // invoice from here, before the invoice stream is written, so a refund in between takes the void path.
        if (e.type === 'InvoiceNumberAssigned' && e.data.invoice) await invoiced([{ type: 'InvoiceGenerated', data: e.data.invoice }], sql);
        await sql.query(
          `insert into payables_guards (company_id, version, invoices) values ($1, $2, $3)
           on conflict (company_id) do update set version = greatest(payables_guards.version, excluded.version), invoices = greatest(payables_guards.invoices, excluded.invoices)`,
          [e.data.companyId, event.version, e.type === 'InvoiceNumberAssigned' ? e.data.sequence : 0],
        );
        return;
      case 'InvoiceGenerated':
        await invoiced([e], sql);
        return;
      case 'InvoiceVoided':
        await sql.query(`update commissions set status = 'payable', invoice_id = null where company_id = $1 and invoice_id = $2`, [
          e.data.companyId,
          e.data.invoiceId,
        ]);
        await sql.query('update invoice_periods set live = false, voided = true where invoice_id = $1', [e.data.invoiceId]);
        return;
      case 'InvoicePaid':
        await sql.query(`update commissions set status = 'paid' where company_id = $1 and invoice_id = $2`, [e.data.companyId, e.data.invoiceId]);
        return;
    }
  },
  /** An invoice run appends thousands of these in a row: one statement per table for a run of them. */
  batchTypes: ['InvoiceGenerated', 'InvoiceNumberAssigned'],
  async applyBatch(events, sql) {
    const numbers = events.filter(isEventOf<InvoiceNumberAssigned>()('InvoiceNumberAssigned'));
    // An invoice is the same whether marked from its assignment or its InvoiceGenerated, so the order between them does not matter.
    const generated = [
      ...numbers.flatMap((e) => {
        const invoice = e.data.invoice;
        return invoice ? [{ type: 'InvoiceGenerated' as const, data: invoice }] : [];
      }),
      ...events.filter(isEventOf<InvoiceGenerated>()('InvoiceGenerated')),
    ];
    if (generated.length) await invoiced(generated, sql);
    if (numbers.length) {
      await sql.query(
        `insert into payables_guards (company_id, version, invoices)
         select company_id, max(version), max(invoices) from unnest($1::text[], $2::int[], $3::int[]) as x(company_id, version, invoices) group by company_id
         on conflict (company_id) do update set version = greatest(payables_guards.version, excluded.version), invoices = greatest(payables_guards.invoices, excluded.invoices)`,
        [numbers.map((e) => e.data.companyId), numbers.map((e) => e.version), numbers.map((e) => e.data.sequence)],
      );
    }
  },
});

/**
 * Marks the invoices' commissions invoiced and records each invoice with its period (the live one of its partner and
 * period, unless a clawback statement) and its rounding carry: a partner's carry in a currency is the sum over its
 * invoices that are not void of carried out − carried in.
 */
async function invoiced(events: InvoiceGenerated[], sql: Sql): Promise<void> {
  const lines = events.flatMap((e) => e.data.lines.map((l) => [l.commissionId, e.data.invoiceId, e.data.companyId]));
  await sql.query(
    `update commissions c set status = 'invoiced', invoice_id = x.invoice_id from unnest($1::text[], $2::text[], $3::text[]) as x(id, invoice_id, company_id)
     where c.id = x.id and c.company_id = x.company_id`,
    [lines.map((l) => l[0]), lines.map((l) => l[1]), lines.map((l) => l[2])],
  );
  await sql.query(
    `insert into invoice_periods (invoice_id, company_id, partner_id, period_end, live, kind, carry_currency, carry_in, carry_out)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::boolean[], $6::text[], $7::text[], $8::bigint[], $9::bigint[]) on conflict (invoice_id) do nothing`,
    [
      events.map((e) => e.data.invoiceId),
      events.map((e) => e.data.companyId),
      events.map((e) => e.data.partnerId),
      events.map((e) => e.data.periodEnd),
      events.map((e) => e.data.kind !== 'clawback'),
      events.map((e) => e.data.kind ?? 'payout'),
      events.map((e) => e.data.currency),
      events.map((e) => e.data.carry?.in ?? 0),
      events.map((e) => e.data.carry?.out ?? 0),
    ],
  );
}
