import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { Sql } from '../../../../libs/database/sql.js';
import { columnsOf } from '../../../../libs/event-store/batch-sql.js';
import type { CheckoutPaymentClaimed, LeadCreated, LeadCustomerLinked, PaymentAttributed, PaymentRefunded } from '../../../attribution/index.js';
import type { CommissionEarned, CommissionReversed } from '../../../commissions/index.js';
import type { ClickRecorded } from '../../domain/click.js';
import { refundedNet, utcDay, type FunnelKind } from '../../domain/funnel.js';

type FunnelEvent =
  ClickRecorded | LeadCreated | LeadCustomerLinked | CheckoutPaymentClaimed | PaymentAttributed | PaymentRefunded | CommissionEarned | CommissionReversed;
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

/** What a run of events adds to `funnel_days` and `funnel_amounts`, one row per key. */
class FunnelDelta {
  private readonly days = new Map<string, [string, string, string, number, number, number, number]>();
  private readonly amounts = new Map<string, [string, string, string, FunnelKind, string, number]>();
  private static readonly COLUMN: Record<Counter, 3 | 4 | 5 | 6> = { clicks: 3, leads: 4, customers: 5, paying_customers: 6 };

  bump(companyId: string, partnerId: string, day: string, counter: Counter): void {
    const k = `${companyId}\n${partnerId}\n${day}`;
    const row = this.days.get(k) ?? this.days.set(k, [companyId, partnerId, day, 0, 0, 0, 0]).get(k)!;
    row[FunnelDelta.COLUMN[counter]]++;
  }

  /** A zero amount adds no row, as `add` does; a key that events add to and take back keeps its row at 0. */
  add(companyId: string, partnerId: string, day: string, kind: FunnelKind, currency: string, amount: number): void {
    if (amount === 0) return;
    const k = `${companyId}\n${partnerId}\n${day}\n${kind}\n${currency}`;
    const row = this.amounts.get(k) ?? this.amounts.set(k, [companyId, partnerId, day, kind, currency, 0]).get(k)!;
    row[5] += amount;
  }

  async write(sql: Sql): Promise<void> {
    if (this.days.size)
      await sql.query(
        `insert into funnel_days (company_id, partner_id, day, clicks, leads, customers, paying_customers)
         select * from unnest($1::text[], $2::text[], $3::date[], $4::bigint[], $5::integer[], $6::integer[], $7::integer[])
         on conflict (company_id, partner_id, day) do update set clicks = funnel_days.clicks + excluded.clicks, leads = funnel_days.leads + excluded.leads,
           customers = funnel_days.customers + excluded.customers, paying_customers = funnel_days.paying_customers + excluded.paying_customers`,
        columnsOf([...this.days.values()], 7),
      );
    if (this.amounts.size)
      await sql.query(
        `insert into funnel_amounts (company_id, partner_id, day, kind, currency, amount)
         select * from unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::bigint[])
         on conflict (company_id, partner_id, day, kind, currency) do update set amount = funnel_amounts.amount + excluded.amount`,
        columnsOf([...this.amounts.values()], 6),
      );
  }
}

/**
 * Sets a lead's `created` flag or its first customer or paid day where not set yet, for one row per lead
 * ([leadId, companyId, partnerId, day]); answers the rows it set, whose counters go up.
 */
async function firstTimes(
  sql: Sql,
  column: 'created' | 'customer_day' | 'paid_day',
  leads: Map<string, [string, string, string, string]>,
): Promise<[string, string, string][]> {
  if (leads.size === 0) return [];
  const rows = [...leads.values()];
  const value = column === 'created' ? 'true' : 'u.day';
  const set =
    column === 'created' ? 'created = true where funnel_leads.created = false' : `${column} = excluded.${column} where funnel_leads.${column} is null`;
  const done = await sql.query<{ lead_id: string }>(
    `insert into funnel_leads (lead_id, company_id, partner_id, ${column})
     select u.lead_id, u.company_id, u.partner_id, ${value} from unnest($1::text[], $2::text[], $3::text[], $4::date[]) as u(lead_id, company_id, partner_id, day)
     on conflict (lead_id) do update set ${set} returning lead_id`,
    columnsOf(rows, 4),
  );
  return done.map((r) => leads.get(r.lead_id)!).map(([, companyId, partnerId, day]) => [companyId, partnerId, day]);
}

/** Records payments attributed for the first time (one row per payment id); answers those that were new. */
async function newPayments<P extends PaymentAttributed['data']>(sql: Sql, payments: P[]): Promise<P[]> {
  if (payments.length === 0) return [];
  const inserted = await sql.query<{ payment_id: string }>(
    `insert into funnel_payments (payment_id, company_id, partner_id, amount, net, currency, refunded)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::bigint[])
     on conflict do nothing returning payment_id`,
    columnsOf(
      payments.map((d) => [d.paymentId, d.companyId, d.partnerId, d.amount, d.net, d.currency, d.refundedAmount ?? 0]),
      7,
    ),
  );
  const fresh = new Set(inserted.map((r) => r.payment_id));
  return payments.filter((d) => fresh.has(d.paymentId));
}

type FunnelPayment = { companyId: string; partnerId: string; amount: number; net: number; currency: string; refunded: number };

/**
 * A run's refunds in log order, as `apply` would take them one by one: a refund counts against a payment recorded
 * before the run, or attributed earlier in the run; each payment's new refunded total is written once.
 */
async function foldRefunds(
  sql: Sql,
  refunds: (PaymentRefunded['data'] & { at: number })[],
  fresh: (PaymentAttributed['data'] & { at: number })[],
  delta: FunnelDelta,
): Promise<void> {
  const freshAt = new Map(fresh.map((d) => [d.paymentId, d]));
  const ids = [...new Set(refunds.map((r) => r.paymentId))];
  const rows = await sql.query<{ payment_id: string; company_id: string; partner_id: string; amount: string; net: string; currency: string; refunded: string }>(
    `select * from funnel_payments where payment_id = any($1::text[])`,
    [ids],
  );
  const known = new Map<string, FunnelPayment>();
  for (const r of rows) {
    if (freshAt.has(r.payment_id)) continue; // written by this run: known only from its attribution on
    known.set(r.payment_id, {
      companyId: r.company_id,
      partnerId: r.partner_id,
      amount: Number(r.amount),
      net: Number(r.net),
      currency: r.currency,
      refunded: Number(r.refunded),
    });
  }
  const changed = new Set<string>();
  for (const r of refunds) {
    let p = known.get(r.paymentId);
    const attributed = freshAt.get(r.paymentId);
    if (!p && attributed && attributed.at < r.at) known.set(r.paymentId, (p = { ...attributed, refunded: attributed.refundedAmount ?? 0 }));
    if (!p || p.refunded >= r.refundedTotal) continue;
    delta.add(p.companyId, p.partnerId, utcDay(r.occurredAt), 'revenue', p.currency, refundedNet(p, p.refunded) - refundedNet(p, r.refundedTotal));
    p.refunded = r.refundedTotal;
    changed.add(r.paymentId);
  }
  if (changed.size)
    await sql.query(
      `update funnel_payments t set refunded = u.refunded from unnest($1::text[], $2::bigint[]) as u(payment_id, refunded) where t.payment_id = u.payment_id`,
      columnsOf(
        [...changed].map((id) => [id, known.get(id)!.refunded]),
        2,
      ),
    );
}

const FUNNEL_TYPES = [
  'ClickRecorded',
  'LeadCreated',
  'LeadCustomerLinked',
  'CheckoutPaymentClaimed',
  'PaymentAttributed',
  'PaymentRefunded',
  'CommissionEarned',
  'CommissionReversed',
] as const;

/**
 * Per partner per UTC day, pre-aggregated, so a funnel over a year reads at most 366 rows whatever the clicks
 * (domain/funnel.ts says what each figure counts). Counters are added to, not set: an event is applied exactly once
 * because the runner commits these writes with the projection's checkpoint (a failed page is rolled back whole),
 * and a rebuild truncates and replays; `funnel_leads` (upserted by whichever of a lead's events comes first) and
 * `funnel_payments` (on conflict do nothing) make the "created", "first customer", "first payment" and "attributed
 * once" decisions that the counters follow.
 */
export const funnelProjection = projection<FunnelEvent>()({
  name: 'tracking_funnel',
  tables: ['funnel_days', 'funnel_amounts', 'funnel_leads', 'funnel_payments'],
  types: FUNNEL_TYPES,
  async apply(e, sql) {
    switch (e.type) {
      case 'ClickRecorded':
        return bump(sql, e.data.companyId, e.data.partnerId, utcDay(e.data.at), 'clicks');
      case 'LeadCreated': {
        const created = await sql.query(
          `insert into funnel_leads (lead_id, company_id, partner_id, created) values ($1, $2, $3, true)
           on conflict (lead_id) do update set created = true where funnel_leads.created = false returning lead_id`,
          [e.data.leadId, e.data.companyId, e.data.partnerId],
        );
        if (created.length) await bump(sql, e.data.companyId, e.data.partnerId, utcDay(e.occurredAt), 'leads');
        return;
      }
      case 'LeadCustomerLinked':
      case 'CheckoutPaymentClaimed': {
        // A guest checkout (no Stripe customer) makes its lead a customer too; claims from before partnerId was recorded are not counted.
        if (!e.data.partnerId) return;
        const day = utcDay(e.occurredAt);
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
        const [p] = await sql.query<{ company_id: string; partner_id: string; amount: string; net: string; currency: string; refunded: string }>(
          `select * from funnel_payments where payment_id = $1`,
          [d.paymentId],
        );
        if (!p || Number(p.refunded) >= d.refundedTotal) return;
        const payment = { amount: Number(p.amount), net: Number(p.net), currency: p.currency };
        await sql.query(`update funnel_payments set refunded = $2 where payment_id = $1`, [d.paymentId, d.refundedTotal]);
        await add(
          sql,
          p.company_id,
          p.partner_id,
          utcDay(d.occurredAt),
          'revenue',
          p.currency,
          refundedNet(payment, Number(p.refunded)) - refundedNet(payment, d.refundedTotal),
        );
        return;
      }
      case 'CommissionEarned':
        // A reversal-kind commission carries a CommissionReversed into the next invoice: that reversal is counted already.
        if (e.data.kind !== 'payment') return;
        return add(sql, e.data.companyId, e.data.partnerId, utcDay(e.data.paidAt), 'commission', e.data.currency, e.data.amount);
      case 'CommissionReversed':
        return add(sql, e.data.companyId, e.data.partnerId, utcDay(e.occurredAt), 'commission', e.data.currency, -e.data.amount);
    }
  },
  /**
   * Replays and bursts, set-based. Each decision ("created", "first customer", "first payment", "attributed once")
   * touches a column or table no other batched type touches, so only the order within a type matters: the first
   * event per lead or payment is the one `apply` would have decided on. Refunds are folded in log order over the
   * payments as the run found them plus those it attributed before each refund. Counters and amounts are sums, and a
   * key is written when any event adds to it, so the tables end as `apply` leaves them.
   */
  batchTypes: FUNNEL_TYPES,
  async applyBatch(events, sql) {
    const delta = new FunnelDelta();
    const created = new Map<string, [string, string, string, string]>();
    const customers = new Map<string, [string, string, string, string]>();
    const payments = new Map<string, PaymentAttributed['data'] & { at: number }>();
    const refunds: (PaymentRefunded['data'] & { at: number })[] = [];
    for (const [at, e] of events.entries()) {
      switch (e.type) {
        case 'ClickRecorded':
          delta.bump(e.data.companyId, e.data.partnerId, utcDay(e.data.at), 'clicks');
          break;
        case 'LeadCreated':
          if (!created.has(e.data.leadId)) created.set(e.data.leadId, [e.data.leadId, e.data.companyId, e.data.partnerId, utcDay(e.occurredAt)]);
          break;
        case 'LeadCustomerLinked':
        case 'CheckoutPaymentClaimed':
          if (e.data.partnerId && !customers.has(e.data.leadId))
            customers.set(e.data.leadId, [e.data.leadId, e.data.companyId, e.data.partnerId, utcDay(e.occurredAt)]);
          break;
        case 'PaymentAttributed':
          if (!payments.has(e.data.paymentId)) payments.set(e.data.paymentId, { ...e.data, at });
          break;
        case 'PaymentRefunded':
          refunds.push({ ...e.data, at });
          break;
        case 'CommissionEarned':
          if (e.data.kind === 'payment') delta.add(e.data.companyId, e.data.partnerId, utcDay(e.data.paidAt), 'commission', e.data.currency, e.data.amount);
          break;
        case 'CommissionReversed':
          delta.add(e.data.companyId, e.data.partnerId, utcDay(e.occurredAt), 'commission', e.data.currency, -e.data.amount);
          break;
      }
    }
    for (const [companyId, partnerId, day] of await firstTimes(sql, 'created', created)) delta.bump(companyId, partnerId, day, 'leads');
    for (const [companyId, partnerId, day] of await firstTimes(sql, 'customer_day', customers)) delta.bump(companyId, partnerId, day, 'customers');
    const fresh = await newPayments(sql, [...payments.values()]);
    const paid = new Map<string, [string, string, string, string]>();
    for (const d of fresh) {
      const day = utcDay(d.paidAt);
      delta.add(d.companyId, d.partnerId, day, 'revenue', d.currency, d.net - refundedNet(d, d.refundedAmount ?? 0));
      if (!paid.has(d.leadId)) paid.set(d.leadId, [d.leadId, d.companyId, d.partnerId, day]);
    }
    for (const [companyId, partnerId, day] of await firstTimes(sql, 'paid_day', paid)) delta.bump(companyId, partnerId, day, 'paying_customers');
    if (refunds.length) await foldRefunds(sql, refunds, fresh, delta);
    await delta.write(sql);
  },
});
