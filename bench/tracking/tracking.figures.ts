import pg from 'pg';
import { higherIsBetter, lowerIsBetter, type Figure } from '../support/figure.js';
import { startServerChild, type ServerChild } from '../support/child.js';
import { createDatabase } from '../support/database.js';
import { settings } from '../support/settings.js';
import { elapsedMs, percentile, perSecond } from '../support/stats.js';
import { BENCH_OPERATOR_KEY, HttpClient } from '../webhooks/http-client.js';
import { waitCaughtUp } from '../webhooks/app-setup.js';

const LANDING = 'https://shop.example/welcome';
const SLICE = 1_000;
const WARMUP = 500;

type Load = { ms: number; latencies: number[]; failures: number; firstFailure?: string; unsent?: number };
type Side = { name: string; server: ServerChild; client: HttpClient; path: string; closed: Load };

/** Each click another visitor (its own user agent), so every one is counted: one write each. */
const visitor = (side: string, i: number) => ({ 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 bench-${side}-${i}` });

async function closedLoop(client: HttpClient, path: string, side: string, from: number, count: number, connections: number): Promise<Load> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = from;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < from + count) {
      const i = next++;
      const t = process.hrtime.bigint();
      const reply = await client.send('GET', path, undefined, visitor(side, i)).catch((e: Error) => ({ status: 0, body: e.message }));
      latencies.push(elapsedMs(t));
      if (reply.status !== 302) {
        failures++;
        firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { ms: elapsedMs(start), latencies, failures, firstFailure };
}

/** Open loop at `rate` clicks/s (latency from each request's due time); stops when a second's worth are unanswered. */
async function paced(client: HttpClient, path: string, side: string, total: number, rate: number): Promise<Load> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let sent = 0;
  let answered = 0;
  const start = process.hrtime.bigint();
  while (sent < total && sent - answered <= rate) {
    const due = Math.min(total, Math.floor((elapsedMs(start) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const dueAt = start + BigInt(Math.round((sent * 1e9) / rate));
      inFlight.push(
        client
          .send('GET', path, undefined, visitor(`${side}-paced`, sent))
          .catch((e: Error) => ({ status: 0, body: e.message }))
          .then((reply) => {
            answered++;
            latencies.push(elapsedMs(dueAt));
            if (reply.status !== 302) {
              failures++;
              firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
            }
          }),
      );
    }
    await new Promise((ok) => setTimeout(ok, 1));
  }
  await Promise.all(inFlight);
  return { ms: elapsedMs(start), latencies, failures, firstFailure, unsent: total - sent };
}

/**
 * Referral links (`GET /r/{key}`) against a bare node:http server answering the same 302 after one INSERT, in
 * alternating slices of closed-loop load (50 connections), then the app alone paced at 1,000 clicks/s; then the
 * funnel of a partner with 1M clicks (written as events, projected by the app) read over a year of days.
 */
export async function trackingFigures(clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  const appDb = await createDatabase(clusterUrl, 'bench_tracking_app');
  const bareDb = await createDatabase(clusterUrl, 'bench_tracking_bare');
  const sides: Side[] = [];
  const clicks = settings.webhooks;
  const connections = settings.webhookConnections;
  try {
    const bareServer = await startServerChild(new URL('./bare.server.js', import.meta.url), { databaseUrl: bareDb, landingUrl: LANDING });
    const appServer = await startServerChild(new URL('./app.server.js', import.meta.url), { databaseUrl: appDb });
    const appClient = new HttpClient(appServer.url, connections + 16);
    const company = await appClient.json<{ id: string; adminApiKey: string }>('POST', '/v1/companies', BENCH_OPERATOR_KEY, {
      name: 'Bench Shop',
      currency: 'usd',
    });
    await appClient.json('PATCH', '/v1/company', company.adminApiKey, { tracking: { landingUrl: LANDING } });
    const partner = await appClient.json<{ id: string; referralKey: string }>('POST', '/v1/partners', company.adminApiKey, {
      name: 'Clicked',
      email: 'clicked@bench.example',
      currency: 'usd',
    });
    const bare: Side = {
      name: 'bare',
      server: bareServer,
      client: new HttpClient(bareServer.url, connections + 16),
      path: `/r/${partner.referralKey}`,
      closed: { ms: 0, latencies: [], failures: 0 },
    };
    const app: Side = { name: 'app', server: appServer, client: appClient, path: `/r/${partner.referralKey}`, closed: { ms: 0, latencies: [], failures: 0 } };
    sides.push(bare, app);
    for (const s of sides) await closedLoop(s.client, s.path, `${s.name}-warm`, 0, WARMUP, connections);
    for (let from = 0, turn = 0; from < clicks; from += SLICE, turn++) {
      for (const s of turn % 2 ? [app, bare] : [bare, app]) {
        // The app's projections work off its clicks in the background, as in production: never during the baseline's turn.
        if (s === bare) app.server.process.kill('SIGSTOP');
        const r = await closedLoop(s.client, s.path, s.name, from, Math.min(SLICE, clicks - from), connections);
        if (s === bare) {
          app.server.process.kill('SIGCONT');
          await new Promise((ok) => setTimeout(ok, 200));
        }
        s.closed = {
          ms: s.closed.ms + r.ms,
          latencies: s.closed.latencies.concat(r.latencies),
          failures: s.closed.failures + r.failures,
          firstFailure: s.closed.firstFailure ?? r.firstFailure,
        };
      }
    }
    for (const s of sides)
      log(
        `clicks ${s.name}: ${Math.round(perSecond(clicks, s.closed.ms))}/s, p99 ${percentile(s.closed.latencies, 99).toFixed(1)} ms, ${s.closed.failures} failed ${s.closed.firstFailure ?? ''}`,
      );
    await waitCaughtUp(appDb, 30_000);
    const rate = settings.pacedRate;
    const pacedLoad = await paced(app.client, app.path, 'app', rate * settings.pacedSeconds, rate);
    log(
      `clicks app paced ${rate}/s: p99 ${percentile(pacedLoad.latencies, 99).toFixed(1)} ms, ${pacedLoad.failures} failed, ${pacedLoad.unsent} unsent ${pacedLoad.firstFailure ?? ''}`,
    );
    const stored = await countClicks(appDb);

    const funnel = await funnelFigures(appDb, app.client, company, log);
    return figures(app, bare, pacedLoad, stored, funnel);
  } finally {
    for (const s of sides) s.server.process.kill('SIGCONT');
    for (const s of sides) {
      s.client.close();
      await s.server.stop();
    }
  }
}

async function countClicks(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) as n from es_events where type = 'ClickRecorded'`)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** 1M ClickRecorded events of one partner over the last 365 days, written with set-based SQL in commits of 200k, then projected by the app. */
async function funnelFigures(databaseUrl: string, client: HttpClient, company: { id: string; adminApiKey: string }, log: (m: string) => void) {
  const total = settings.funnelClicks;
  const partner = await client.json<{ id: string; referralKey: string }>('POST', '/v1/partners', company.adminApiKey, {
    name: 'Million',
    email: 'million@bench.example',
    currency: 'usd',
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const start = Date.now();
  try {
    for (let from = 0; from < total; from += 200_000) {
      await db.query(
        `insert into es_events (stream_id, version, type, data, occurred_at)
         select 'click-' || $1 || '-' || md5('v' || g), 1, 'ClickRecorded',
           jsonb_build_object('companyId', $1::text, 'partnerId', $2::text, 'clickId', 'clk_' || md5('v' || g) || '_1', 'referralKey', $3::text,
             'source', 'link', 'url', null, 'referrer', null, 'at', to_char((now() - (g % 365) * interval '1 day') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
           now()
         from generate_series($4::int, $5::int) g order by g`,
        [company.id, partner.id, partner.referralKey, from, Math.min(total, from + 200_000) - 1],
      );
    }
  } finally {
    await db.end();
  }
  const written = Date.now() - start;
  const caughtUp = await waitCaughtUp(databaseUrl, 300_000);
  log(`funnel: ${total} clicks written in ${written} ms, projected in ${caughtUp ?? 'more than 300000'} ms`);
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
  const path = `/v1/partners/${partner.id}/funnel?from=${from}&to=${to}&interval=day`;
  const answer = await client.json<{ data: { clicks: number }[] }>('GET', path, company.adminApiKey);
  const counted = answer.data.reduce((s, p) => s + p.clicks, 0);
  const latencies: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = process.hrtime.bigint();
    await client.json('GET', i % 2 ? path : path.replace('interval=day', 'interval=week'), company.adminApiKey);
    latencies.push(elapsedMs(t));
  }
  log(`funnel: ${counted} clicks in the answer; p99 ${percentile(latencies, 99).toFixed(1)} ms`);
  return { total, counted, p99: percentile(latencies, 99), p50: percentile(latencies, 50), projectedMs: caughtUp };
}

function figures(
  app: Side,
  bare: Side,
  pacedLoad: Load,
  stored: number,
  funnel: { total: number; counted: number; p99: number; p50: number; projectedMs: number | null },
): Figure[] {
  const appRate = perSecond(app.closed.latencies.length, app.closed.ms);
  const bareRate = perSecond(bare.closed.latencies.length, bare.closed.ms);
  const c = settings.webhookConnections;
  const failed = app.closed.failures + pacedLoad.failures;
  return [
    higherIsBetter({
      figure: `referral link clicks (GET /r, ${c} connections, each click a new visitor: one write each)`,
      value: appRate,
      unit: 'clicks/s',
      baseline: { label: 'bare node:http + one INSERT, same 302', value: bareRate },
      goal: '≥ 0.7× baseline',
      met: bareRate > 0 && appRate / bareRate >= 0.7 && failed === 0,
      note: failed ? `${failed} failed: ${app.closed.firstFailure ?? pacedLoad.firstFailure ?? ''}` : `${stored} clicks stored`,
    }),
    lowerIsBetter({
      figure: `referral link p99 at ${settings.pacedRate} clicks/s for ${settings.pacedSeconds} s`,
      value: percentile(pacedLoad.latencies, 99),
      unit: 'ms',
      baseline: { label: 'bare, closed loop p99', value: percentile(bare.closed.latencies, 99) },
      goal: '≤ 25 ms',
      met: percentile(pacedLoad.latencies, 99) <= 25 && !pacedLoad.unsent && pacedLoad.failures === 0,
      note: pacedLoad.unsent ? `overloaded: ${pacedLoad.unsent} unsent` : undefined,
    }),
    lowerIsBetter({
      figure: `funnel of a partner with ${funnel.total.toLocaleString('en-US')} clicks (365 days, by day and week), p99 of 50`,
      value: funnel.p99,
      unit: 'ms',
      goal: '≤ 100 ms',
      met: funnel.p99 <= 100 && funnel.counted === funnel.total,
      note: `p50 ${funnel.p50.toFixed(1)} ms; ${funnel.counted} clicks answered; projected in ${funnel.projectedMs === null ? '> 300 s' : `${(funnel.projectedMs / 1000).toFixed(1)} s`}`,
    }),
  ];
}
