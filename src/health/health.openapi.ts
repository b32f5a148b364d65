import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

/** The health check. */
export const healthOpenApi: ModuleOpenApi = {
  tags: [{ name: 'Health', description: 'Whether the server and what it depends on answer.' }],
  operations: {
    health: {
      summary: 'Health',
      description:
        'Liveness and readiness in one: 200 `ok` (or `degraded` when a projection or reactor has parked events or cannot process its ' +
        'pages), 503 when the database or event store does not answer within 2 s.',
      response: { status: 'ok', database: 'up', eventStore: { adapter: 'postgres', status: 'up' }, projections: { lag: 0, failed: [], parked: {} } },
      responses: { 503: { status: 'unavailable', database: 'down', eventStore: { adapter: 'postgres', status: 'up' }, projections: { error: 'timeout' } } },
      errors: { 503: 'the database or event store does not answer: the health answer (not a problem) says which' },
    },
    healthLive: {
      summary: 'Liveness',
      description: "The process answers (nothing else is checked, so a slow database never gets it restarted): 200 `live`. For a supervisor's liveness probe.",
      response: { status: 'live' },
    },
    healthReady: {
      summary: 'Readiness',
      description:
        'Whether to send this process work: the database and event store answer within 2 s, every migration this version knows is applied, ' +
        'and, in a process that runs background work (`ROLE=worker` or `all`), the subscription runner has started. 503 `not_ready` otherwise, with the same fields.',
      response: { status: 'ready', role: 'all', database: 'up', eventStore: 'up', migrations: 'applied', runner: 'started' },
      responses: { 503: { status: 'not_ready', role: 'worker', database: 'down', eventStore: 'up', migrations: 'unknown', runner: 'started' } },
      errors: { 503: 'not ready: the answer (not a problem) says which check failed' },
    },
    metrics: {
      summary: 'Metrics (Prometheus)',
      description:
        "The process's metrics in the Prometheus text format: `partnerflow_webhooks_received_total{endpoint,result}`, `partnerflow_projection_lag_events{projection}`, " +
        '`partnerflow_reactor_failures_total{reactor}`, `partnerflow_stripe_requests_total{operation,outcome}`, `partnerflow_stripe_request_duration_seconds`, ' +
        '`partnerflow_invoice_runs_total{result}`, `partnerflow_deliveries_total{outcome}` and the default process metrics (`process_*`, `nodejs_*`). ' +
        'Operator key only; with `METRICS_PORT` set the same text is also served without a key on that port.',
    },
  },
};
