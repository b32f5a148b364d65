import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { call, ensureBuilt, startAppProcess, type AppProcess } from '../support/app-process.js';
import { OPERATOR_KEY } from '../support/app.js';
import { writeCommissions } from '../../bench/invoicing/commission-fixture.js';

/** 1M rows under `npm run test:reliability`; a 100k-row variant in `npm test`. */
const ROWS = process.env.RELIABILITY ? 1_000_000 : 100_000;
const MB = 1024 * 1024;

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

/** Downloads without keeping the body: counts bytes and CRLF-ended records. */
function download(url: string, key: string): Promise<{ status: number; bytes: number; records: number; firstLine: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { Authorization: `Bearer ${key}` } }, (res) => {
        let bytes = 0;
        let records = 0;
        let firstLine = '';
        res.on('data', (chunk: Buffer) => {
          if (!firstLine) firstLine = chunk.toString('utf8').split('\r\n')[0]!;
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) records++;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, records, firstLine }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe(`CSV export of ${ROWS.toLocaleString('en')} commissions in constant memory`, () => {
  let app: AppProcess;
  let admin: string;
  let databaseUrl: string;

  beforeAll(async () => {
    await ensureBuilt();
    databaseUrl = await createTestDatabase('pf_csv_memory');
    app = await startAppProcess('csv-memory', databaseUrl);
    const company = await call(app.url, 'POST', '/v1/companies', OPERATOR_KEY, { name: 'Big exporter' });
    admin = company.json.adminApiKey;
    await writeCommissions(databaseUrl, company.json.id, 1_000, ROWS);
  }, 600_000);
  afterAll(() => app?.stop());

  it('streams every row while the server’s RSS grows by at most 50 MB', async () => {
    const pid = app.child.pid!;
    // one export first warms the route, the export pool and the heap's working size; the second must not grow past it
    expect((await download(`${app.url}/v1/exports/commissions.csv`, admin)).records).toBe(ROWS + 1);
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
    const started = Date.now();
    const result = await download(`${app.url}/v1/exports/commissions.csv`, admin).finally(() => clearInterval(sampler));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `exported ${ROWS} rows, ${(result.bytes / MB).toFixed(0)} MB in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s); RSS ${(baseline / MB).toFixed(0)} → peak ${(peak / MB).toFixed(0)} MB`,
    );
    expect(result.status).toBe(200);
    expect(result.firstLine).toMatch(/^id,partnerId,leadId,paymentId,kind,status,amount,amount_decimal,/);
    expect(result.records).toBe(ROWS + 1);
    expect(result.bytes).toBeGreaterThan(ROWS * 100);
    expect(peak - baseline).toBeLessThanOrEqual(50 * MB);
  }, 600_000);

  it('reads from the database only as fast as the client takes the file (backpressure): a paused download keeps its cursor open mid-way', async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const res = await new Promise<http.IncomingMessage>((ok, fail) =>
        http.get(`${app.url}/v1/exports/commissions.csv`, { headers: { Authorization: `Bearer ${admin}` } }, ok).on('error', fail),
      );
      res.pause();
      // long enough for the whole result to be read, were it not streamed
      await new Promise((r) => setTimeout(r, 6_000));
      const { rows } = await db.query<{ state: string }>(
        `select state from pg_stat_activity where application_name = 'partnerflow-exports' and datname = current_database() and state <> 'idle'`,
      );
      // the cursor's portal is suspended mid-result (shown as active: no Sync was sent), not run to the end and closed
      expect(rows.map((r) => r.state)).toEqual(['active']);
      res.destroy();
      // the abandoned download gives its connection and its slot back
      for (let i = 0; i < 50; i++) {
        const open = await db.query(
          `select 1 from pg_stat_activity where application_name = 'partnerflow-exports' and datname = current_database() and state <> 'idle'`,
        );
        if (open.rows.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await download(`${app.url}/v1/exports/leads.csv`, admin)).status).toBe(200);
    } finally {
      await db.end();
    }
  }, 60_000);
});
