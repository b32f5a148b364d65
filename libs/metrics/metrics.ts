import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus series (SPEC §13). One registry per process, like the logger: the code that counts
 * imports it, and `GET /metrics` (or METRICS_PORT) writes it out. Names follow Prometheus conventions
 * (`partnerflow_` prefix, `_total` counters, `_seconds` durations); labels stay of small, fixed cardinality.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const webhooksReceived = new Counter({
  name: 'partnerflow_webhooks_received_total',
  help: 'Stripe webhook deliveries answered, by endpoint (company, account, connect) and result (stored, duplicate, refused, error)',
  labelNames: ['endpoint', 'result'] as const,
  registers: [registry],
});

export const reactorFailures = new Counter({
  name: 'partnerflow_reactor_failures_total',
  help: 'Events a reactor could not handle after its retries (parked, or held back while the database is away)',
  labelNames: ['reactor'] as const,
  registers: [registry],
});

export const stripeRequests = new Counter({
  name: 'partnerflow_stripe_requests_total',
  help: 'Requests to the Stripe API that got an answer, by operation (method and path with ids as :id) and final outcome after the SDK retries (ok, client_error, rate_limited, server_error)',
  labelNames: ['operation', 'outcome'] as const,
  registers: [registry],
});

export const stripeRequestDuration = new Histogram({
  name: 'partnerflow_stripe_request_duration_seconds',
  help: 'Duration of requests to the Stripe API that got an answer, including the SDK retries',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
  registers: [registry],
});

export const invoiceRuns = new Counter({
  name: 'partnerflow_invoice_runs_total',
  help: 'Invoice runs, by result (completed, busy: another run of the company held the lock, failed)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const deliveries = new Counter({
  name: 'partnerflow_deliveries_total',
  help: 'Outgoing webhook delivery attempts, by outcome (succeeded, failed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

type LagSource = () => Promise<{ name: string; lag: number }[]>;
let lagSource: LagSource | undefined;

/** Events each projection still has to apply, read from the checkpoints when scraped (the same in every process). */
export const projectionLag = new Gauge({
  name: 'partnerflow_projection_lag_events',
  help: 'Events in the log after the projection’s checkpoint',
  labelNames: ['projection'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const { name, lag } of (await lagSource?.().catch(() => [])) ?? []) this.set({ projection: name }, lag);
  },
});

/** Where the projection lag is read from: the app's subscription runner (the last app started in this process). */
export function readProjectionLagFrom(source: LagSource): void {
  lagSource = source;
}

/** Counts a webhook endpoint's answer: stored or duplicate on success, refused (4xx) or error otherwise. */
export async function countWebhook<T extends { duplicate?: boolean }>(endpoint: string, accept: () => Promise<T>): Promise<T> {
  try {
    const ack = await accept();
    webhooksReceived.inc({ endpoint, result: ack.duplicate ? 'duplicate' : 'stored' });
    return ack;
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    webhooksReceived.inc({ endpoint, result: typeof status === 'number' && status < 500 ? 'refused' : 'error' });
    throw e;
  }
}

/** `POST /v1/payment_intents/pi_3Nx…/confirm` → `POST /v1/payment_intents/:id/confirm`: ids carry digits or capitals, resource names do not. */
export function stripeOperation(method: string | undefined, path: string | undefined): string {
  const segments = (path ?? '')
    .split('?')[0]!
    .split('/')
    .map((s) => (/^v\d+$/.test(s) || !/[0-9A-Z]/.test(s) ? s : ':id'));
  return `${method ?? 'GET'} ${segments.join('/')}`;
}

export function stripeOutcome(status: number | undefined): string {
  if (status === undefined) return 'error';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}
