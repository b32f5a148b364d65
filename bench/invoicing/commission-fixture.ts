import pg from 'pg';

/**
 * Writes the read model an invoice run works from, as the partners and commissions projections would
 * have left it: `partners` partners of one company (1 in 5 invoiced in eur, the rest in usd) and
 * `commissions` payable usd commissions spread evenly over them, paid and payable 60-90 days ago.
 * Set-based SQL straight into the tables: replaying millions of events first would time the
 * projections (the replay figure does that), not the run.
 */
export async function writeCommissions(databaseUrl: string, companyId: string, partners: number, commissions: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `insert into partners (id, company_id, name, email, currency, referral_key, position, created_at)
       select 'pa_bench' || lpad(p::text, 8, '0'), $1, 'Partner ' || p, 'partner' || p || '@partners.example',
         case when p % 5 = 0 then 'eur' else 'usd' end, 'ref' || p, 1000000 + p, now() - interval '1 year'
       from generate_series(0, $2::int - 1) p`,
      [companyId, partners],
    );
    // Secondary indexes are built once after the load instead of row by row: same end state, minutes faster.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `select indexname as name, indexdef as def from pg_indexes where schemaname = current_schema() and tablename = 'commissions' and indexname <> 'commissions_pkey'`,
    );
    for (const i of indexes) await client.query(`drop index ${i.name}`);
    for (let from = 0; from < commissions; from += 200_000) {
      await client.query(
        `insert into commissions (id, company_id, partner_id, lead_id, payment_id, kind, amount, earned, currency, status, paid_at, payable_at, plan, plan_source, version, position, created_at)
         select 'com_' || md5('commission' || c::text), $1, 'pa_bench' || lpad((c % $4)::text, 8, '0'), 'ld_' || md5('lead' || (c % ($4 * 5))::text), 'pay_' || md5('payment' || c::text),
           'payment', 500 + (c % 37) * 25, 500 + (c % 37) * 25, 'usd', 'payable',
           now() - interval '90 days' + (c % 1000) * interval '1 minute', now() - interval '60 days' + (c % 1000) * interval '1 minute',
           '{"type":"percentage","percent":20}'::jsonb, 'company', 2, 2000000 + c, now() - interval '90 days'
         from generate_series($2::int, $3::int) c`,
        [companyId, from, Math.min(commissions, from + 200_000) - 1, partners],
      );
    }
    for (const i of indexes) await client.query(i.def);
    await client.query('vacuum analyze partners, commissions');
  } finally {
    await client.end();
  }
}

/** The floor: one plain aggregate over the same open commissions, per partner and currency. */
export async function aggregateMs(databaseUrl: string, companyId: string): Promise<{ ms: number; groups: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const start = performance.now();
    const { rows } = await client.query(
      `select c.partner_id, p.currency as partner_currency, c.currency, count(*) as lines, sum(c.amount) as total
       from commissions c join partners p on p.company_id = c.company_id and p.id = c.partner_id
       where c.company_id = $1 and c.invoice_id is null and c.status in ('pending', 'payable') and c.payable_at <= now()
       group by c.partner_id, p.currency, c.currency`,
      [companyId],
    );
    return { ms: performance.now() - start, groups: rows.length };
  } finally {
    await client.end();
  }
}
