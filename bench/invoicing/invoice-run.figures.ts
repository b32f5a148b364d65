import pg from 'pg';
import { lowerIsBetter, unavailable, type Figure } from '../support/figure.js';
import { startServerChild } from '../support/child.js';
import { createDatabase } from '../support/database.js';
import { settings } from '../support/settings.js';
import { BENCH_OPERATOR_KEY, HttpClient } from '../webhooks/http-client.js';
import { createCompany, hasRoute, waitCaughtUp } from '../webhooks/app-setup.js';
import { aggregateMs, writeCommissions } from './commission-fixture.js';

const appFile = new URL('../webhooks/app.server.js', import.meta.url);
const GOAL_S = 10;

/**
 * `POST /v1/invoices/generate` on a company with 10k partners and 1M payable commissions, timed until
 * the answer and until the read models show every invoice; beside one SQL aggregate over the same rows.
 */
export async function invoiceRunFigures(clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  const name = `Invoice run, ${settings.invoicePartners.toLocaleString('en-US')} partners / ${settings.invoiceCommissions.toLocaleString('en-US')} commissions`;
  const goal =
    settings.invoiceCommissions === 1_000_000 ? `≤ ${GOAL_S} s` : `≤ ${((GOAL_S * settings.invoiceCommissions) / 1_000_000).toFixed(1)} s (10 s per 1M)`;
  const databaseUrl = await createDatabase(clusterUrl, 'bench_invoices');
  const app = await startServerChild(appFile, { databaseUrl });
  const client = new HttpClient(app.url, 4);
  try {
    if (!(await hasRoute(client, '/v1/invoices/generate'))) return [unavailable(name, 'n/a (endpoint missing)', goal)];
    const company = await createCompany(client);
    await client.json('PUT', '/v1/fx-rates', BENCH_OPERATOR_KEY, { base: 'usd', asOf: '2024-01-01', rates: { eur: 0.9213 }, source: 'bench' });
    await waitCaughtUp(databaseUrl, 30_000);
    const t0 = performance.now();
    await writeCommissions(databaseUrl, company.companyId, settings.invoicePartners, settings.invoiceCommissions);
    log(`invoice run: fixture written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const aggregate = await aggregateMs(databaseUrl, company.companyId);
    const periodEnd = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const start = performance.now();
    const timeoutMs = settings.invoiceTimeoutSeconds * 1000;
    const result = await client
      .json<{ created: unknown[]; skipped: { reason: string }[] }>('POST', '/v1/invoices/generate', company.adminKey, { periodEnd }, timeoutMs)
      .catch((e: Error) => e);
    const answeredMs = performance.now() - start;
    if (result instanceof Error) log(`invoice run: no answer within ${settings.invoiceTimeoutSeconds} s`);
    if (result instanceof Error)
      return [
        {
          figure: name,
          value: null,
          unit: '',
          note: `no answer within ${settings.invoiceTimeoutSeconds} s`,
          goal,
          met: false,
          baseline: { label: 'one SQL aggregate', value: aggregate.ms / 1000, unit: 's' },
        },
      ];
    const waitMs = Math.max(10_000, timeoutMs - answeredMs);
    const caughtUp = await waitCaughtUp(databaseUrl, waitMs);
    const totalMs = caughtUp === null ? null : performance.now() - start;
    const invoices = await count(databaseUrl, company.companyId);
    log(
      `invoice run: ${result.created.length} created, ${result.skipped.length} skipped, answered in ${(answeredMs / 1000).toFixed(1)} s, read models in ${totalMs === null ? 'timeout' : `${(totalMs / 1000).toFixed(1)} s`}, ${invoices} invoices listed`,
    );
    const complete = result.created.length === settings.invoicePartners && invoices === settings.invoicePartners;
    return [
      lowerIsBetter({
        figure: name,
        value: totalMs === null ? null : totalMs / 1000,
        unit: 's',
        baseline: { label: 'one SQL aggregate', value: aggregate.ms / 1000 },
        goal,
        met: totalMs !== null && totalMs / 1000 <= (GOAL_S * settings.invoiceCommissions) / 1_000_000 && complete,
        note: [
          `answered in ${(answeredMs / 1000).toFixed(1)} s`,
          totalMs === null ? `read models not caught up ${Math.round(waitMs / 1000)} s later (${invoices} invoices listed)` : 'then read models',
          `${result.created.length} invoices created${complete ? '' : ` of ${settings.invoicePartners} expected`}`,
        ].join('; '),
      }),
    ];
  } finally {
    client.close();
    await app.stop();
  }
}

async function count(databaseUrl: string, companyId: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>('select count(*)::int as n from invoices where company_id = $1', [companyId]);
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}
