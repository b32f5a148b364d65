import pg from 'pg';
import { compareCheckpoints } from '../../libs/event-store/event-store.port.js';
import { PostgresEventStore } from '../../libs/event-store/postgres/postgres-event-store.js';
import { BENCH_OPERATOR_KEY, type HttpClient } from './http-client.js';
import { randomId } from '../support/payloads.js';

export const WEBHOOK_SECRET = 'whsec_bench_0123456789abcdefghijklmnop';
export const WEBHOOK_ROUTE = '/v1/webhooks/stripe/{companyId}';

export interface BenchCompany {
  companyId: string;
  adminKey: string;
}

/** A company connected to Stripe through the public API, as an operator and its admin would. */
export async function createCompany(client: HttpClient): Promise<BenchCompany> {
  const company = await client.json<{ id: string; adminApiKey: string }>('POST', '/v1/companies', BENCH_OPERATOR_KEY, { name: 'Bench Inc.', currency: 'usd' });
  await client.json('PUT', '/v1/company/stripe', company.adminApiKey, { webhookSecret: WEBHOOK_SECRET });
  return { companyId: company.id, adminKey: company.adminApiKey };
}

/** Whether the running app documents a route (the bench runs while modules are being built). */
export async function hasRoute(client: HttpClient, route: string): Promise<boolean> {
  const reply = await client.send('GET', '/docs-json');
  return reply.status === 200 && route in ((JSON.parse(reply.body) as { paths?: object }).paths ?? {});
}

/** A partner and `count` leads, each linked to its own Stripe customer. */
export async function createLeads(
  client: HttpClient,
  company: BenchCompany,
  count: number,
): Promise<{ partnerId: string; leads: { leadId: string; customerId: string; email: string }[] }> {
  const partner = await client.json<{ id: string }>('POST', '/v1/partners', company.adminKey, {
    name: 'Bench Partner',
    email: 'partner@bench.example',
    currency: 'usd',
  });
  const leads = [];
  for (let i = 0; i < count; i++) {
    const customerId = randomId('cus', 14);
    const email = `lead${i}@customer.example`;
    const lead = await client.json<{ id: string }>('POST', '/v1/leads', company.adminKey, { partnerId: partner.id, email, stripeCustomerId: customerId });
    leads.push({ leadId: lead.id, customerId, email });
  }
  return { partnerId: partner.id, leads };
}

/**
 * Waits until every running projection and reactor has processed the newest event (reactors append
 * more, so the head is read again each time). Answers the milliseconds waited, or null on timeout.
 */
export async function waitCaughtUp(databaseUrl: string, timeoutMs: number): Promise<number | null> {
  const store = PostgresEventStore.connect(databaseUrl, 1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const start = Date.now();
  try {
    while (Date.now() - start < timeoutMs) {
      const head = await store.head();
      const { rows } = await client.query<{ checkpoint: string; status: string }>('select checkpoint, status from es_checkpoints');
      if (rows.every((r) => r.status !== 'running' || compareCheckpoints(r.checkpoint, head.checkpoint) >= 0)) return Date.now() - start;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    return null;
  } finally {
    await client.end();
    await store.close();
  }
}

/** Webhooks (StripeEventReceived) that every running subscriber has passed. */
export async function processedWebhooks(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ checkpoint: string }>(`select checkpoint from es_checkpoints where status = 'running'`);
    const slowest = rows.map((r) => r.checkpoint).sort(compareCheckpoints)[0] ?? '0/0';
    const [tx, pos] = slowest.split('/');
    const { rows: n } = await client.query<{ n: number }>(
      `select count(*)::int as n from es_events where type = 'StripeEventReceived' and (transaction_id, global_position) <= ($1::xid8, $2::bigint)`,
      [tx, pos],
    );
    return n[0]!.n;
  } finally {
    await client.end();
  }
}

/** Subscribers that stopped at a failing event: a bench whose events poison a projection says so. */
export async function failedSubscribers(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; last_error: string | null }>(`select name, last_error from es_checkpoints where status = 'failed'`);
    return rows.map((r) => `${r.name}: ${r.last_error ?? ''}`.slice(0, 200));
  } finally {
    await client.end();
  }
}
