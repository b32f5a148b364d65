import type pg from 'pg';

/** Each query lists what must not exist; a row is a violation, described by its columns. */
const CHECKS: Record<string, string> = {
  'a Stripe event stored twice': `select data->>'companyId' as company, data->>'eventId' as event, count(*) as n from es_events where type = 'StripeEventReceived' group by 1, 2 having count(*) > 1`,
  'a payment recorded twice': `select stream_id, count(*) as n from es_events where type = 'PaymentRecorded' group by 1 having count(*) > 1`,
  'one Stripe object recorded as two payments': `select data->>'companyId' as company, data->>'stripeObjectId' as object, count(distinct stream_id) as n from es_events where type = 'PaymentRecorded' group by 1, 2 having count(distinct stream_id) > 1`,
  'a payment in the read model twice': `select company_id, stripe_object_id, count(*) as n from payments group by 1, 2 having count(*) > 1`,
  'a payment earning two commissions': `select data->>'paymentId' as payment, count(*) as n from es_events where type = 'CommissionEarned' and coalesce(data->>'kind', '') <> 'reversal' group by 1 having count(*) > 1`,
  'a commission row per payment twice': `select payment_id, count(*) as n from commissions where kind <> 'reversal' group by 1 having count(*) > 1`,
  'two live invoices for one partner and period': `select data->>'companyId' as company, data->>'partnerId' as partner, data->>'periodEnd' as period, count(*) as n from es_events g
     where type = 'InvoiceGenerated' and not exists (select 1 from es_events v where v.type = 'InvoiceVoided' and v.data->>'invoiceId' = g.data->>'invoiceId')
     group by 1, 2, 3 having count(*) > 1`,
  'an invoice paid twice': `select data->>'invoiceId' as invoice, count(*) as n from es_events where type = 'InvoicePaid' group by 1 having count(*) > 1`,
  'an invoice charged by two PaymentIntents': `select data->>'invoiceId' as invoice, count(distinct data->>'paymentIntentId') as n from es_events where type = 'InvoicePaymentIntentCreated' group by 1 having count(distinct data->>'paymentIntentId') > 1`,
  'a ledger that does not sum to zero': `select company_id, currency, sum(amount) as total from ledger_entries group by 1, 2 having sum(amount) <> 0`,
  'a projection or reactor stopped at a failing event': `select name, last_error from es_checkpoints where status = 'failed'`,
  'an event a projection or reactor parked': `select subscriber, global_position, error from es_parked_events where status not in ('resolved', 'skipped')`,
};

/** Every effect that happened twice (or ledger imbalance, or a stopped subscription), described; [] when none. */
export async function duplicateEffects(db: pg.Client | pg.Pool): Promise<string[]> {
  const out: string[] = [];
  for (const [what, sql] of Object.entries(CHECKS)) {
    const { rows } = await db.query(sql);
    for (const row of rows) out.push(`${what}: ${JSON.stringify(row)}`);
  }
  return out;
}
