import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { higherIsBetter, lowerIsBetter, unavailable, type Figure } from '../support/figure.js';
import { startServerChild } from '../support/child.js';
import { createDatabase } from '../support/database.js';
import { settings } from '../support/settings.js';
import { percentile, elapsedMs } from '../support/stats.js';
import { HttpClient } from '../webhooks/http-client.js';
import { createCompany, createLeads, waitCaughtUp, WEBHOOK_SECRET } from '../webhooks/app-setup.js';
import { invoicePaidEvent } from '../webhooks/invoice-paid.js';
import { signStripePayload } from '../webhooks/stripe-signature.js';
import { closedLoop } from '../webhooks/load.js';
import { randomId } from '../support/payloads.js';
import { launchChromium, shippedBytes } from './browser.js';

const appFile = new URL('../webhooks/app.server.js', import.meta.url);
const screenshots = new URL('../../../test-results/screenshots/', import.meta.url);
const screenshotPath = (name: string) => {
  mkdirSync(screenshots, { recursive: true });
  return new URL(`${name}.png`, screenshots).pathname;
};
const SIZE_GOAL_KB = 250;
const READY_GOAL_MS = 1000;
const DAY = 86_400;

/** React and ReactDOM alone, production builds, gzip: what any React app ships at least. */
function reactAloneGzipKb(): number {
  const require = createRequire(new URL('../../../web/package.json', import.meta.url));
  const dir = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));
  const files = [
    join(dir('react'), 'cjs/react.production.js'),
    join(dir('react-dom'), 'cjs/react-dom.production.js'),
    join(dir('react-dom'), 'cjs/react-dom-client.production.js'),
  ];
  return files.reduce((s, f) => s + gzipSync(readFileSync(f), { level: 9 }).length, 0) / 1024;
}

/**
 * The console in a real browser against the app with `consolePayments` payments in one company
 * (sent as signed Stripe webhooks over the last 30 days, 90 % attributed, in USD and EUR): the JS+CSS
 * the sign-in page and the dashboard ship (compressed, as served), and the time from navigation to a
 * usable dashboard (figures and charts drawn), cold cache, median of `consoleLoads`; beside React alone
 * and the dashboard's own API call timed from Node.
 */
export async function consoleFigures(clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  const n = settings.consolePayments;
  const sizeName = 'Console JS+CSS shipped for the first page (sign-in), compressed';
  const readyName = `Time to a usable dashboard, ${n.toLocaleString('en-US')} payments in the company (navigation start → figures and charts drawn, cold cache, median)`;
  const databaseUrl = await createDatabase(clusterUrl, 'bench_console');
  const app = await startServerChild(appFile, { databaseUrl });
  const client = new HttpClient(app.url, 16);
  const browser = await launchChromium();
  try {
    const page = await client.send('GET', '/');
    if (page.status !== 200 || !page.body.includes('id="root"'))
      return [
        unavailable(sizeName, 'n/a (console not built)', `≤ ${SIZE_GOAL_KB} KB`),
        unavailable(readyName, 'n/a (console not built)', `≤ ${READY_GOAL_MS} ms`),
      ];
    const company = await createCompany(client);
    const { leads } = await createLeads(client, company, 100);
    const now = Math.floor(Date.now() / 1000);
    const requests = Array.from({ length: n }, (_, i) => {
      const lead = i % 10 === 9 ? { customerId: randomId('cus', 14), email: `stranger${i}@else.example` } : leads[i % leads.length]!;
      const event = invoicePaidEvent({
        customer: lead.customerId,
        email: lead.email,
        amount: 1_000 + (i % 50) * 100,
        currency: i % 5 === 4 ? 'eur' : 'usd',
        created: now - Math.floor((i / n) * 29 * DAY),
      });
      return { body: event.body, signature: signStripePayload(event.body, WEBHOOK_SECRET) };
    });
    const sent = await closedLoop(client, `/v1/webhooks/stripe/${company.companyId}`, requests, 16);
    if (sent.failures) throw new Error(`${sent.failures} webhooks refused: ${sent.firstFailure}`);
    await waitCaughtUp(databaseUrl, 300_000);
    const payments = await countPayments(databaseUrl, company.companyId);
    log(`console: ${payments} payments in ${(sent.ms / 1000).toFixed(1)} s of webhooks, caught up`);

    // the dashboard's own call, from Node: the floor of what the page can do
    const apiMs: number[] = [];
    for (let i = 0; i < settings.consoleLoads; i++) {
      const t = process.hrtime.bigint();
      await client.json('GET', '/v1/reports/overview?interval=day', company.adminKey);
      apiMs.push(elapsedMs(t));
    }

    const token = await sessionToken(app.url, company.adminKey);
    const cookie = { name: 'pf_session', value: token, url: app.url, httpOnly: true, sameSite: 'Strict' as const };

    const signInPage = await (async () => {
      const context = await browser.newContext({ locale: 'en-US' });
      try {
        return await shippedBytes(context, async (p) => {
          await p.goto(`${app.url}/`);
          await p.getByRole('button', { name: 'Sign in' }).waitFor();
        });
      } finally {
        await context.close();
      }
    })();
    let dashboard = { js: 0, css: 0, files: 0 };
    const readyMs: number[] = [];
    const wallMs: number[] = [];
    for (let i = 0; i < settings.consoleLoads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
      await context.addCookies([cookie]);
      try {
        const bytes = await shippedBytes(context, async (p) => {
          const t = process.hrtime.bigint();
          await p.goto(`${app.url}/admin`, { waitUntil: 'commit' });
          try {
            await p.locator('[data-ready] .chart-canvas canvas').first().waitFor({ timeout: 30_000 });
            await p.locator('#attention-payments .item-list').waitFor({ timeout: 30_000 });
          } catch (e) {
            await p.screenshot({ path: screenshotPath('bench-dashboard-failed'), fullPage: true });
            throw e;
          }
          // navigation start (the page's time origin) → usable, as the browser's own clock counts it
          readyMs.push(await p.evaluate(() => performance.now()));
          if (process.env.BENCH_CONSOLE_TRACE)
            log(
              await p.evaluate(() =>
                JSON.stringify(
                  [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource'), ...performance.getEntriesByType('paint')].map(
                    (e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round((e as PerformanceResourceTiming).responseEnd ?? 0)],
                  ),
                ),
              ),
            );
          wallMs.push(elapsedMs(t));
          if (i === 0) await p.screenshot({ path: screenshotPath('bench-dashboard') });
        });
        if (i === 0) dashboard = bytes;
      } finally {
        await context.close();
      }
    }
    const kb = (b: number) => b / 1024;
    const firstKb = kb(signInPage.js + signInPage.css);
    const react = reactAloneGzipKb();
    const ready = percentile(readyMs, 50);
    const api = percentile(apiMs, 50);
    log(
      `console: sign-in page ${firstKb.toFixed(1)} KB (${signInPage.files} files), dashboard ${kb(dashboard.js + dashboard.css).toFixed(1)} KB (${dashboard.files} files); ready ${readyMs.map((m) => m.toFixed(0)).join(', ')} ms (from goto(): ${wallMs.map((m) => m.toFixed(0)).join(', ')} ms); API ${apiMs.map((m) => m.toFixed(0)).join(', ')} ms`,
    );
    return [
      lowerIsBetter({
        figure: sizeName,
        value: firstKb,
        unit: 'KB',
        baseline: { label: 'React + ReactDOM alone, gzip', value: react },
        goal: `≤ ${SIZE_GOAL_KB} KB`,
        met: firstKb <= SIZE_GOAL_KB,
      }),
      lowerIsBetter({
        figure: 'Console JS+CSS shipped for the dashboard (with the chart), compressed',
        value: kb(dashboard.js + dashboard.css),
        unit: 'KB',
        baseline: { label: 'React + ReactDOM alone, gzip', value: react },
      }),
      lowerIsBetter({
        figure: readyName,
        value: ready,
        unit: 'ms',
        baseline: { label: 'GET /v1/reports/overview from Node, median', value: api },
        goal: `≤ ${READY_GOAL_MS} ms`,
        met: ready <= READY_GOAL_MS,
      }),
      higherIsBetter({ figure: 'Dashboard loads measured', value: readyMs.length, unit: 'loads', note: `slowest ${Math.max(...readyMs).toFixed(0)} ms` }),
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}

async function sessionToken(url: string, apiKey: string): Promise<string> {
  const res = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey }) });
  const token = /pf_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (res.status !== 201 || !token) throw new Error(`POST /v1/sessions answered ${res.status}`);
  return token;
}

async function countPayments(databaseUrl: string, companyId: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return Number((await db.query('select count(*) as n from payments where company_id = $1', [companyId])).rows[0].n);
  } finally {
    await db.end();
  }
}
