import { higherIsBetter, lowerIsBetter, type Figure } from '../support/figure.js';
import { sampleRss, startServerChild, type ServerChild } from '../support/child.js';
import { createDatabase } from '../support/database.js';
import { settings } from '../support/settings.js';
import { percentile, perSecond } from '../support/stats.js';
import { randomId } from '../support/payloads.js';
import { HttpClient } from './http-client.js';
import { closedLoop, paced, type LoadResult, type SignedRequest } from './load.js';
import { signStripePayload } from './stripe-signature.js';
import { invoicePaidEvent } from './invoice-paid.js';
import { createCompany, failedSubscribers, hasRoute, processedWebhooks, waitCaughtUp, WEBHOOK_ROUTE, WEBHOOK_SECRET, type BenchCompany } from './app-setup.js';
import { attributionLatency } from './attribution-latency.js';

const appFile = new URL('./app.server.js', import.meta.url);
const bareFile = new URL('./bare.server.js', import.meta.url);
const WARMUP = 200;
const split = process.env.BENCH_ROLES === 'split';
/** Requests per turn of the closed-loop phase. */
const SLICE = 500;

/** Signed invoice.paid deliveries for customers no lead knows: the full attribution path ends unattributed. */
function deliveries(n: number): SignedRequest[] {
  return Array.from({ length: n }, (_, i) => {
    const { body } = invoicePaidEvent({ customer: randomId('cus', 14), email: `buyer${i}@unknown.example`, amount: 4900 + (i % 50) * 100, tax: 800 });
    return { body, signature: signStripePayload(body, WEBHOOK_SECRET) };
  });
}

type Side = { name: string; server: ServerChild; client: HttpClient; path: string; closed?: LoadResult; paced?: LoadResult; rss: number };

/**
 * Signed webhooks against the app and against a bare node:http + HMAC + INSERT server, each in its
 * own process on the same cluster: first webhook → attributed latency on the idle app, then the
 * closed-loop phase (50 connections) of both sides in alternating slices of 500, then each side's
 * paced phase (1,000 req/s). The app's process is stopped (SIGSTOP) during every turn of the
 * baseline, so the app's processing after its acks (which goes on in the background, as in
 * production) never runs during the baseline's turn. Last, how fast the app works off that backlog.
 */
export async function webhookFigures(clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  const appDb = await createDatabase(clusterUrl, 'bench_app');
  const bareDb = await createDatabase(clusterUrl, 'bench_bare');
  const sides: Side[] = [];
  let worker: Side | undefined;
  try {
    const bare = await side('bare', bareFile, { databaseUrl: bareDb, secret: WEBHOOK_SECRET }, () => '/stripe');
    sides.push(bare);
    let company: BenchCompany | undefined;
    // BENCH_ROLES=split: the app as a ROLE=web process with a ROLE=worker process beside it (SPEC §13)
    if (split) sides.push((worker = await side('worker', appFile, { databaseUrl: appDb, role: 'worker' }, () => '/health')));
    const app = await side('app', appFile, { databaseUrl: appDb, role: split ? 'web' : 'all' }, () => `/v1/webhooks/stripe/${company!.companyId}`);
    sides.push(app);
    company = await createCompany(app.client);
    const ready = await hasRoute(app.client, WEBHOOK_ROUTE);
    if (!ready) log('webhook endpoint missing: measuring the baseline only');
    const attributed = ready ? await attributionLatency(app.client, company, log) : null;
    if (ready) await waitCaughtUp(appDb, 20_000);
    const before = ready ? await processedWebhooks(appDb) : 0;

    // The app is frozen (SIGSTOP) whenever the baseline is measured, so its background processing,
    // which goes on while it runs as in production, never takes the baseline's CPU.
    const frozen = freezer(ready ? [app, ...(worker ? [worker] : [])] : []);
    const measured = ready ? [bare, app] : [bare];
    const rss = new Map(measured.map((s) => [s, sampleRss(s.server.process.pid!)]));
    let appStart = 0;
    let frozenBefore = 0;
    for (const s of measured) {
      if (s === app) [appStart, frozenBefore] = [Date.now(), frozen.ms()];
      if (s === bare) frozen.freeze();
      await closedLoop(s.client, s.path, deliveries(WARMUP), settings.webhookConnections);
      await frozen.thaw();
    }
    // Closed loop in alternating slices, as the event-store contenders take turns: a burst of outside load
    // on this shared machine hits both sides alike instead of whichever phase it happened to fall in.
    const load = new Map(measured.map((s) => [s, deliveries(settings.webhooks)]));
    for (const s of measured) s.closed = { ms: 0, latencies: [], failures: 0 };
    for (let from = 0, turn = 0; from < settings.webhooks; from += SLICE, turn++) {
      for (const s of turn % 2 ? [...measured].reverse() : measured) {
        if (s === bare) frozen.freeze();
        const r = await closedLoop(s.client, s.path, load.get(s)!.slice(from, from + SLICE), settings.webhookConnections);
        await frozen.thaw();
        const c = s.closed!;
        s.closed = {
          ms: c.ms + r.ms,
          latencies: c.latencies.concat(r.latencies),
          failures: c.failures + r.failures,
          firstFailure: c.firstFailure ?? r.firstFailure,
        };
      }
    }
    for (const s of measured)
      log(
        `webhooks ${s.name}: ${Math.round(perSecond(settings.webhooks, s.closed!.ms))} acks/s, p99 ${percentile(s.closed!.latencies, 99).toFixed(1)} ms, ${s.closed!.failures} failed ${s.closed!.firstFailure ?? ''}`,
      );
    for (const s of measured) {
      if (s === bare) frozen.freeze();
      s.paced = await paced(s.client, s.path, deliveries(settings.pacedRate * settings.pacedSeconds), settings.pacedRate);
      await frozen.thaw();
      log(
        `webhooks ${s.name} paced ${settings.pacedRate}/s: p99 ${percentile(s.paced.latencies, 99).toFixed(1)} ms, ${s.paced.failures} failed, ${s.paced.unsent} unsent ${s.paced.firstFailure ?? ''}`,
      );
    }
    for (const s of measured) s.rss = rss.get(s)!.stop();
    const processing = ready
      ? await backlog(appDb, appStart + frozen.ms() - frozenBefore, before, WARMUP + settings.webhooks + settings.pacedRate * settings.pacedSeconds)
      : null;
    const failed = ready ? await failedSubscribers(appDb) : [];
    if (failed.length) log(`subscribers stopped at a failing event: ${failed.join('; ')}`);
    return figures(ready ? app : undefined, bare, processing, attributed, failed);
  } finally {
    for (const s of sides) s.server.process.kill('SIGCONT');
    for (const s of sides) {
      s.client.close();
      await s.server.stop();
    }
  }
}

/** Stops and resumes the app's processes around the baseline's turns; `ms()` is how long they were stopped in all. */
function freezer(apps: Side[]) {
  let total = 0;
  let since: number | undefined;
  return {
    freeze() {
      if (!apps.length || since !== undefined) return;
      for (const app of apps) app.server.process.kill('SIGSTOP');
      since = Date.now();
    },
    /**
     * Resumes the app and gives it a moment before its turn: keep-alive timers that ran out while it
     * was stopped close idle sockets at once, and a request sent on one of them would fail.
     */
    async thaw() {
      if (!apps.length || since === undefined) return;
      for (const app of apps) app.server.process.kill('SIGCONT');
      total += Date.now() - since;
      since = undefined;
      await new Promise((ok) => setTimeout(ok, 200));
    },
    ms: () => total,
  };
}

/** Webhooks every subscriber has processed, per second of the app running since its load began; waits up to BENCH_BACKLOG_WAIT s. */
async function backlog(databaseUrl: string, since: number, before: number, total: number): Promise<{ perSecond: number; processed: number; total: number }> {
  await waitCaughtUp(databaseUrl, settings.backlogWaitSeconds * 1000);
  const processed = (await processedWebhooks(databaseUrl)) - before;
  return { perSecond: perSecond(processed, Date.now() - since), processed, total };
}

async function side(name: string, file: URL, input: object, path: () => string): Promise<Side> {
  const server = await startServerChild(file, input);
  const side: Side = { name, server, client: new HttpClient(server.url, settings.webhookConnections + 16), path: '', rss: 0 };
  return Object.defineProperty(side, 'path', { get: path });
}

const stats = (r: LoadResult) => ({ rate: perSecond(r.latencies.length, r.ms), p99: percentile(r.latencies, 99), failures: r.failures, unsent: r.unsent ?? 0 });
const overloaded = (unsent: number) => (unsent ? `overloaded: stopped with 1 s of requests unanswered, ${unsent} unsent` : undefined);

function figures(
  app: Side | undefined,
  bare: Side,
  processing: { perSecond: number; processed: number; total: number } | null,
  attributed: { p99: number; p50: number; count: number; timedOut: number } | null,
  failed: string[],
): Figure[] {
  const c = settings.webhookConnections;
  const b = stats(bare.closed!);
  const bp = stats(bare.paced!);
  const roles = split ? ' (ROLE=web, a ROLE=worker beside it)' : '';
  const ingest = `Webhook ingest${roles}, ${c} connections, ${settings.webhooks.toLocaleString('en-US')} signed invoice.paid`;
  const pacedName = `Webhook ack p99${roles} at ${settings.pacedRate.toLocaleString('en-US')} req/s for ${settings.pacedSeconds} s (open loop)`;
  const rssName = split ? 'App RSS peak during the webhook phases (the web process)' : 'App RSS peak during the webhook phases';
  const attributedName = 'Webhook → attributed latency p99 (20/s, idle app)';
  const bareLabel = 'bare node:http + HMAC + INSERT';
  if (!app) {
    const missing = 'n/a (endpoint missing)';
    return [
      { figure: ingest, value: null, unit: '', note: missing, baseline: { label: bareLabel, value: b.rate, unit: 'acks/s' }, goal: '≥ 0.7× bare' },
      {
        figure: pacedName,
        value: null,
        unit: '',
        note: [missing, overloaded(bp.unsent) && `bare ${overloaded(bp.unsent)}`].filter(Boolean).join('; '),
        baseline: { label: 'bare', value: bp.p99, unit: 'ms' },
        goal: '≤ 25 ms',
      },
      { figure: attributedName, value: null, unit: '', note: missing, goal: '≤ 1,000 ms' },
      { figure: rssName, value: null, unit: '', note: missing, baseline: { label: 'bare', value: bare.rss, unit: 'MB' } },
    ];
  }
  const a = stats(app.closed!);
  const ap = stats(app.paced!);
  return [
    higherIsBetter({
      figure: ingest,
      value: a.rate,
      unit: 'acks/s',
      baseline: { label: bareLabel, value: b.rate },
      goal: '≥ 0.7× bare',
      met: a.rate >= 0.7 * b.rate && a.failures === 0,
      note: a.failures ? `${a.failures} non-2xx answers` : undefined,
    }),
    lowerIsBetter({ figure: `Webhook ack latency p99, ${c} connections`, value: a.p99, unit: 'ms', baseline: { label: 'bare', value: b.p99 } }),
    lowerIsBetter({
      figure: pacedName,
      value: ap.p99,
      unit: 'ms',
      baseline: { label: 'bare', value: bp.p99 },
      goal: '≤ 25 ms',
      met: ap.p99 <= 25 && ap.failures === 0 && ap.unsent === 0,
      note:
        [ap.failures ? `${ap.failures} non-2xx answers` : '', overloaded(ap.unsent) ?? '', bp.unsent ? `bare ${overloaded(bp.unsent)}` : '']
          .filter(Boolean)
          .join('; ') || undefined,
    }),
    {
      figure: 'Webhook processing behind the acks (attribution → read models)',
      value: processing!.perSecond,
      unit: 'webhooks/s',
      note:
        [
          processing!.processed < processing!.total ? `${processing!.processed} of ${processing!.total} done after ${settings.backlogWaitSeconds} s` : '',
          failed.length ? `stopped: ${failed.join('; ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') || undefined,
    },
    attributed
      ? {
          figure: attributedName,
          value: attributed.p99,
          unit: 'ms',
          goal: '≤ 1,000 ms',
          met: attributed.p99 <= 1000 && attributed.timedOut === 0,
          note: `p50 ${attributed.p50.toFixed(0)} ms over ${attributed.count}${attributed.timedOut ? `, ${attributed.timedOut} never attributed` : ''}`,
        }
      : { figure: attributedName, value: null, unit: '', note: 'n/a (payments read model missing)', goal: '≤ 1,000 ms' },
    lowerIsBetter({ figure: rssName, value: app.rss, unit: 'MB', baseline: { label: 'bare server', value: bare.rss } }),
  ];
}
