import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { PostgresEventStore } from '../../libs/event-store/postgres/postgres-event-store.js';
import { higherIsBetter, unavailable, type Figure } from '../support/figure.js';
import { startServerChild, type ServerChild } from '../support/child.js';
import { createDatabase } from '../support/database.js';
import { settings } from '../support/settings.js';
import { BENCH_OPERATOR_KEY, HttpClient } from '../webhooks/http-client.js';
import { hasRoute, waitCaughtUp } from '../webhooks/app-setup.js';
import { writeCommissions } from '../invoicing/commission-fixture.js';

const appFile = new URL('./app.server.js', import.meta.url);
const DELIVERY_GOAL = 500;
const EXPORT_GOAL = 100_000;

/** Local receivers answering 200 at once, each on its own port (a company's endpoint is its own host). */
async function receivers(n: number): Promise<{ urls: string[]; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const servers: Server[] = [];
  for (let i = 0; i < n; i++) {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    servers.push(server);
  }
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/hooks`),
    received: () => received,
    close: async () => {
      for (const s of servers) await new Promise<void>((ok) => (s.closeAllConnections(), s.close(() => ok())));
    },
  };
}

/**
 * `events` lead.created events spread over `endpoints` companies with one endpoint each, appended to the event
 * store in one go (as many LeadCreated as the API would write), timed from the append until every receiver has
 * every delivery: projection, outbox reactor, sender and HTTP all included.
 */
async function deliveryFigure(clusterUrl: string, endpoints: number, log: (m: string) => void): Promise<Figure> {
  const events = settings.outboundEvents;
  const name = `Webhook deliveries, ${events.toLocaleString('en-US')} events to ${endpoints} endpoint${endpoints === 1 ? '' : 's'} (append → received)`;
  const goal = `≥ ${DELIVERY_GOAL} events/s`;
  const databaseUrl = await createDatabase(clusterUrl, `bench_outbound_${endpoints}`);
  const app = await startServerChild(appFile, { databaseUrl });
  const client = new HttpClient(app.url, 8);
  const sinks = await receivers(endpoints);
  const store = PostgresEventStore.connect(databaseUrl, 4);
  try {
    if (!(await hasRoute(client, '/v1/webhook-endpoints'))) return unavailable(name, 'n/a (endpoint missing)', goal);
    const companies = [];
    for (let i = 0; i < endpoints; i++) {
      const company = await client.json<{ id: string; adminApiKey: string }>('POST', '/v1/companies', BENCH_OPERATOR_KEY, { name: `Hooked ${i}` });
      const partner = await client.json<{ id: string }>('POST', '/v1/partners', company.adminApiKey, {
        name: 'P',
        email: `p${i}@bench.example`,
        currency: 'usd',
      });
      await client.json('POST', '/v1/webhook-endpoints', company.adminApiKey, { url: sinks.urls[i], events: ['lead.created'] });
      companies.push({ companyId: company.id, partnerId: partner.id });
    }
    await waitCaughtUp(databaseUrl, 30_000);
    const before = sinks.received();
    const start = performance.now();
    for (let from = 0; from < events; from += 500) {
      const appends = [];
      for (let i = from; i < Math.min(events, from + 500); i++) {
        const c = companies[i % endpoints]!;
        const leadId = `ld_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
        appends.push({
          streamId: `lead-${c.companyId}-${leadId}`,
          expectedVersion: 'no_stream' as const,
          events: [{ type: 'LeadCreated', data: { leadId, companyId: c.companyId, partnerId: c.partnerId, email: `${leadId}@lead.example`, name: null } }],
        });
      }
      await store.appendMany(appends);
    }
    const deadline = Date.now() + settings.outboundTimeoutSeconds * 1000;
    while (sinks.received() - before < events && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
    const seconds = (performance.now() - start) / 1000;
    const delivered = sinks.received() - before;
    log(`outbound: ${delivered}/${events} deliveries to ${endpoints} endpoints in ${seconds.toFixed(1)} s`);
    if (delivered < events)
      return { figure: name, value: null, unit: '', note: `${delivered} of ${events} delivered within ${settings.outboundTimeoutSeconds} s`, goal, met: false };
    const rate = events / seconds;
    return { figure: name, value: rate, unit: 'events/s', goal, met: rate >= DELIVERY_GOAL };
  } finally {
    await store.close();
    client.close();
    await app.stop();
    await sinks.close();
  }
}

/** Reads a whole response, counting bytes, keeping nothing. */
function download(url: string, key: string): Promise<{ status: number; bytes: number }> {
  return new Promise((ok, fail) => {
    request(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => ok({ status: res.statusCode ?? 0, bytes }));
      res.on('error', fail);
    })
      .on('error', fail)
      .end();
  });
}

/** The floor: Postgres writing the same rows and columns as CSV itself (`COPY … TO STDOUT`), read by a client that keeps nothing. */
async function copyBaseline(databaseUrl: string, companyId: string): Promise<{ seconds: number; bytes: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const start = performance.now();
    const stream = client.query(
      copyTo(`copy (select id, partner_id, lead_id, payment_id, kind, amount, earned, reversed_total, currency, invoice_id, reverses_commission_id, payable_at, paid_at, created_at, status
      from commissions where company_id = '${companyId.replaceAll("'", "''")}' order by position) to stdout with (format csv, header)`),
    );
    let bytes = 0;
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    return { seconds: (performance.now() - start) / 1000, bytes };
  } finally {
    await client.end();
  }
}

/** GET /v1/exports/commissions.csv of `exportRows` commissions, beside COPY … TO STDOUT of the same rows. */
async function exportFigure(clusterUrl: string, log: (m: string) => void): Promise<Figure> {
  const rows = settings.exportRows;
  const name = `CSV export, ${rows.toLocaleString('en-US')} commissions (GET /v1/exports/commissions.csv)`;
  const goal = `≥ ${EXPORT_GOAL.toLocaleString('en-US')} rows/s`;
  const databaseUrl = await createDatabase(clusterUrl, 'bench_exports');
  let app: ServerChild | undefined;
  try {
    app = await startServerChild(appFile, { databaseUrl });
    const client = new HttpClient(app.url, 4);
    if (!(await hasRoute(client, '/v1/exports/{file}'))) return unavailable(name, 'n/a (endpoint missing)', goal);
    const company = await client.json<{ id: string; adminApiKey: string }>('POST', '/v1/companies', BENCH_OPERATOR_KEY, { name: 'Exporter' });
    client.close();
    const t0 = performance.now();
    await writeCommissions(databaseUrl, company.id, 1_000, rows);
    log(`outbound: ${rows} commissions written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const baseline = await copyBaseline(databaseUrl, company.id);
    const start = performance.now();
    const result = await download(`${app.url}/v1/exports/commissions.csv`, company.adminApiKey);
    const seconds = (performance.now() - start) / 1000;
    log(
      `outbound: export ${result.status}, ${(result.bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s; COPY ${(baseline.bytes / 1e6).toFixed(0)} MB in ${baseline.seconds.toFixed(1)} s`,
    );
    if (result.status !== 200) return { figure: name, value: null, unit: '', note: `answered ${result.status}`, goal, met: false };
    const rate = rows / seconds;
    return higherIsBetter({
      figure: name,
      value: rate,
      unit: 'rows/s',
      baseline: { label: 'COPY … TO STDOUT', value: rows / baseline.seconds },
      goal,
      met: rate >= EXPORT_GOAL,
    });
  } finally {
    await app?.stop();
  }
}

export async function outboundFigures(clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  return [await deliveryFigure(clusterUrl, 1, log), await deliveryFigure(clusterUrl, 100, log), await exportFigure(clusterUrl, log)];
}
