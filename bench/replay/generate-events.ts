import pg from 'pg';

/**
 * Writes about `total` events shaped like the modules' own into es_events with set-based SQL, in
 * commits of ~100k events: 10 companies, partners (1%), leads linked to customers (3 events each,
 * 5%), and payments, each as the app records one from a webhook: StripeEventReceived (a trimmed
 * invoice.paid), PaymentRecorded, PaymentAttributed (1 in 20 unattributed), CustomerPaymentRecorded,
 * PaymentReferenceRecorded, and a PaymentRefunded for 1 in 25. Timestamps span a year.
 */
export async function generateEvents(databaseUrl: string, total: number): Promise<number> {
  const companies = 10;
  const partners = Math.max(companies, Math.floor(total / 100));
  const leads = Math.max(partners, Math.floor(total / 20));
  const payments = Math.max(1, Math.floor((total - companies - partners - 3 * leads) / 5.04));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`set work_mem = '512MB'`); // the ordered inserts sort in memory, not on disk
    await client.query(IDS);
    await client.query(COMPANIES, [companies]);
    await client.query(PARTNERS, [partners, companies]);
    for (let from = 0; from < leads; from += 30_000) await client.query(LEADS, [from, Math.min(leads, from + 30_000) - 1, partners, companies]);
    for (let from = 0; from < payments; from += 20_000) await client.query(PAYMENTS, [from, Math.min(payments, from + 20_000) - 1, leads, partners, companies]);
    await client.query('vacuum analyze es_events');
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from es_events');
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

// Deterministic ids per index, in the apps' formats; written so Postgres inlines them. `offset 0` keeps each lateral computed once per row.
const IDS = `
  create or replace function pg_temp.co(i bigint) returns text language sql immutable as $$ select 'co_' || md5('company' || i::text) $$;
  create or replace function pg_temp.pa(i bigint) returns text language sql immutable as $$ select 'pa_' || md5('partner' || i::text) $$;
  create or replace function pg_temp.ld(i bigint) returns text language sql immutable as $$ select 'ld_' || md5('lead' || i::text) $$;
  create or replace function pg_temp.cus(i bigint) returns text language sql immutable as $$ select 'cus_' || substr(md5('customer' || i::text), 1, 14) $$;
  create or replace function pg_temp.at(i bigint) returns timestamptz language sql stable as $$ select timestamptz '2025-01-01 00:00:00+00' + (i * interval '31 seconds') $$;`;

const COMPANIES = `
  insert into es_events (stream_id, version, type, data, occurred_at)
  select 'company-' || pg_temp.co(g), 1, 'CompanyCreated',
    jsonb_build_object('companyId', pg_temp.co(g), 'name', 'Company ' || g, 'currency', 'usd',
      'invoiceSchedule', jsonb_build_object('frequency', 'monthly', 'day', 1, 'holdDays', 30, 'minimumPayout', 0),
      'commissionPlan', jsonb_build_object('type', 'percentage', 'percent', 20), 'adminKeyHash', md5('admin' || g)),
    pg_temp.at(0)
  from generate_series(0, $1::int - 1) g order by g`;

const PARTNERS = `
  insert into es_events (stream_id, version, type, data, occurred_at)
  select 'partner-' || pg_temp.co(p % $2) || '-' || pg_temp.pa(p), 1, 'PartnerCreated',
    jsonb_build_object('partnerId', pg_temp.pa(p), 'companyId', pg_temp.co(p % $2), 'name', 'Partner ' || p, 'email', 'partner' || p || '@partners.example',
      'currency', (array['usd', 'eur', 'gbp'])[1 + p % 3], 'referralKey', 'ref' || p, 'commissionPlan', null, 'apiKeyHash', md5('key' || p)),
    pg_temp.at(p)
  from generate_series(0, $1::int - 1) p order by p`;

const LEADS = `
  insert into es_events (stream_id, version, type, data, occurred_at)
  select e.stream, e.version, e.type, e.data, pg_temp.at(l * 3 + e.ord)
  from generate_series($1::int, $2::int) l,
    lateral (select pg_temp.co((l % $3) % $4) as co, pg_temp.pa(l % $3) as pa, pg_temp.ld(l) as ld, pg_temp.cus(l) as cus offset 0) i,
    lateral (values
      (0, 'lead-' || i.co || '-' || i.ld, 1, 'LeadCreated', jsonb_build_object('leadId', i.ld, 'companyId', i.co, 'partnerId', i.pa, 'email', 'Lead' || l || '@customers.example', 'name', 'Lead ' || l)),
      (1, 'lead-' || i.co || '-' || i.ld, 2, 'LeadCustomerLinked', jsonb_build_object('leadId', i.ld, 'companyId', i.co, 'partnerId', i.pa, 'customerId', i.cus, 'method', 'created')),
      (2, 'customer-' || i.co || '-' || i.cus, 1, 'CustomerClaimed', jsonb_build_object('companyId', i.co, 'customerId', i.cus, 'leadId', i.ld, 'method', 'created'))
    ) e(ord, stream, version, type, data)
  order by l, e.ord`;

const PAYMENTS = `
  insert into es_events (stream_id, version, type, data, occurred_at)
  select e.stream, e.version, e.type, e.data, pg_temp.at($3::int * 3 + k * 6 + e.ord)
  from generate_series($1::int, $2::int) k,
    lateral (select k % $3 as l offset 0) x,
    lateral (select pg_temp.co((x.l % $4) % $5) as co, pg_temp.pa(x.l % $4) as pa, pg_temp.ld(x.l) as ld, pg_temp.cus(x.l) as cus,
      'pay_' || substr(md5('payment' || k), 1, 24) as pay, 'in_' || substr(md5('invoice' || k), 1, 24) as inv, 'ch_' || substr(md5('charge' || k), 1, 24) as ch,
      'pi_' || substr(md5('intent' || k), 1, 24) as pi, 'evt_' || substr(md5('event' || k), 1, 24) as evt,
      2900 + (k % 40) * 250 as amount, to_char(pg_temp.at($3::int * 3 + k * 6) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as paid_at offset 0) i,
    lateral (select i.amount / 5 as tax, i.amount - i.amount / 5 as net, k % 20 = 7 as unattributed, k % 25 = 3 as refunded offset 0) f,
    lateral (values
      (0, 'stripeevent-' || i.co || '-' || i.evt, 1, 'StripeEventReceived', jsonb_build_object('companyId', i.co, 'eventId', i.evt, 'eventType', 'invoice.paid', 'source', 'webhook',
        'event', jsonb_build_object('id', i.evt, 'object', 'event', 'type', 'invoice.paid', 'created', extract(epoch from pg_temp.at($3::int * 3 + k * 6))::bigint, 'livemode', false,
          'data', jsonb_build_object('object', jsonb_build_object('id', i.inv, 'object', 'invoice', 'customer', i.cus, 'customer_email', 'lead' || x.l || '@customers.example',
            'amount_paid', i.amount, 'currency', 'usd', 'charge', i.ch, 'payment_intent', i.pi, 'status', 'paid', 'billing_reason', 'subscription_cycle',
            'tax', f.tax, 'total', i.amount, 'subtotal', f.net, 'lines', jsonb_build_object('object', 'list', 'data', jsonb_build_array(jsonb_build_object('id', 'il_' || md5('line' || k),
              'amount', f.net, 'currency', 'usd', 'description', '1 × Pro plan', 'quantity', 1)))))))),
      (1, 'payment-' || i.co || '-' || i.pay, 1, 'PaymentRecorded', jsonb_build_object('paymentId', i.pay, 'companyId', i.co, 'stripeObjectId', i.inv, 'chargeId', i.ch, 'paymentIntentId', i.pi,
        'invoiceId', i.inv, 'customerId', i.cus, 'email', 'lead' || x.l || '@customers.example', 'amount', i.amount, 'tax', f.tax, 'net', f.net, 'currency', 'usd', 'paidAt', i.paid_at, 'stripeEventId', i.evt)),
      (2, 'payment-' || i.co || '-' || i.pay, 2,
        case when f.unattributed then 'PaymentUnattributed' else 'PaymentAttributed' end,
        case when f.unattributed then jsonb_build_object('paymentId', i.pay, 'companyId', i.co, 'trace', jsonb_build_array('customer ' || i.cus || ' is on no lead', 'no lead has this email'))
        else jsonb_build_object('paymentId', i.pay, 'companyId', i.co, 'leadId', i.ld, 'partnerId', i.pa, 'method', 'customer_id', 'trace', jsonb_build_array('customer ' || i.cus || ' is linked to lead ' || i.ld),
          'customerId', i.cus, 'amount', i.amount, 'tax', f.tax, 'net', f.net, 'currency', 'usd', 'paidAt', i.paid_at) end),
      (3, 'customer-' || i.co || '-' || i.cus, 2 + k / $3::int, 'CustomerPaymentRecorded', jsonb_build_object('companyId', i.co, 'customerId', i.cus, 'paymentId', i.pay)),
      (4, 'paymentref-' || i.co || '-' || i.inv, 1, 'PaymentReferenceRecorded', jsonb_build_object('companyId', i.co, 'ref', i.inv, 'paymentId', i.pay)),
      (5, case when f.refunded then 'payment-' || i.co || '-' || i.pay end, 3, 'PaymentRefunded', jsonb_build_object('paymentId', i.pay, 'companyId', i.co, 'reversalId', 're_' || substr(md5('refund' || k), 1, 24),
        'reason', 'refund', 'amount', i.amount / 2, 'refundedTotal', i.amount / 2, 'currency', 'usd', 'occurredAt', i.paid_at, 'paymentAmount', i.amount, 'chargeId', i.ch))
    ) e(ord, stream, version, type, data)
  where e.stream is not null
  order by k, e.ord`;
