import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { startTestApp, api, newCompany, OPERATOR_KEY, type Api } from '../support/app.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { builders } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';

const SECRET = 'whsec_operations_e2e';
/** The series SPEC §13 names, with their Prometheus types. */
const SPEC_SERIES = {
  partnerflow_webhooks_received_total: 'counter',
  partnerflow_projection_lag_events: 'gauge',
  partnerflow_reactor_failures_total: 'counter',
  partnerflow_stripe_requests_total: 'counter',
  partnerflow_stripe_request_duration_seconds: 'histogram',
  partnerflow_invoice_runs_total: 'counter',
  partnerflow_deliveries_total: 'counter',
};

describe('health and metrics (SPEC §13)', () => {
  let app: RunningApp;
  let admin: Api;
  let send: ReturnType<typeof stripeWebhooks>;
  const metrics = async () => {
    const res = await api(app, OPERATOR_KEY).get('/metrics').expect(200);
    return res.text;
  };

  beforeAll(async () => {
    app = await startTestApp({ METRICS_PORT: '0' });
    const created = await newCompany(app, { name: 'Observed' });
    admin = created.admin;
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET }).expect(200);
    send = stripeWebhooks(app, created.company.id, SECRET);
  });
  afterAll(() => app?.close());

  it('/health/live answers without asking anything; /health/ready checks database, event store, migrations and the runner; /health stays', async () => {
    expect((await request(app.app.getHttpServer()).get('/health/live').expect(200)).body).toEqual({ status: 'live' });
    const ready = await request(app.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ready', role: 'all', database: 'up', eventStore: 'up', migrations: 'applied', runner: 'started' });
    expect((await request(app.app.getHttpServer()).get('/health').expect(200)).body.status).toBe('ok');
  });

  it('/metrics needs the operator key: 401 without, 403 with a company key', async () => {
    const anonymous = await request(app.app.getHttpServer()).get('/metrics').expect(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    await admin.get('/metrics').expect(403);
  });

  it('is Prometheus text with every series SPEC §13 names and the default process metrics', async () => {
    const res = await api(app, OPERATOR_KEY).get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const { types, samples } = parsePrometheusText(res.text);
    for (const [name, type] of Object.entries(SPEC_SERIES)) expect([name, types.get(name)]).toEqual([name, type]);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes'])
      expect(types.has(name)).toBe(true);
    // Prometheus conventions: counters end in _total, durations are in seconds
    for (const [name, type] of types) if (name.startsWith('partnerflow_') && type === 'counter') expect(name).toMatch(/_total$/);
    // one lag per projection, none for reactors
    const lags = samples
      .filter((s) => s.name === 'partnerflow_projection_lag_events')
      .map((s) => s.labels.projection)
      .sort();
    expect(lags).toEqual(app.runner.projectionNames().sort());
  });

  it('a webhook moves partnerflow_webhooks_received_total: stored, duplicate and refused counted apart', async () => {
    const series = (result: string) => ({ endpoint: 'company', result });
    const before = await metrics();
    const event = builders.invoicePaid({ amount: 1200 });
    await send(event).expect(200);
    await send(event).expect(200);
    await send(builders.invoicePaid(), { secret: 'whsec_forged' }).expect(400);
    const after = await metrics();
    for (const result of ['stored', 'duplicate', 'refused']) {
      expect([
        result,
        sampleValue(after, 'partnerflow_webhooks_received_total', series(result)) - sampleValue(before, 'partnerflow_webhooks_received_total', series(result)),
      ]).toEqual([result, 1]);
    }
    // the platform's endpoints count under their own endpoint label
    const unsigned = await request(app.app.getHttpServer()).post('/v1/webhooks/stripe-connect').set('Content-Type', 'application/json').send('{}').expect(400);
    expect(unsigned.body.code).toBe('invalid_signature');
    expect(sampleValue(await metrics(), 'partnerflow_webhooks_received_total', { endpoint: 'connect', result: 'refused' })).toBeGreaterThanOrEqual(1);
  });

  it('an invoice run moves partnerflow_invoice_runs_total{result="completed"}', async () => {
    const before = sampleValue(await metrics(), 'partnerflow_invoice_runs_total', { result: 'completed' });
    await admin.post('/v1/invoices/generate', { periodEnd: new Date().toISOString().slice(0, 10) }).expect(200);
    expect(sampleValue(await metrics(), 'partnerflow_invoice_runs_total', { result: 'completed' })).toBe(before + 1);
  });

  it('METRICS_PORT serves the same text without a key, and nothing else', async () => {
    const res = await fetch(app.metricsUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parsePrometheusText(await res.text()).types.get('partnerflow_webhooks_received_total')).toBe('counter');
    expect((await fetch(app.metricsUrl!.replace('/metrics', '/v1/companies'))).status).toBe(404);
  });

  it('/health/ready is 503 once the runner of a process that should run it has stopped (/health/live still 200)', async () => {
    await app.runner.stop();
    const ready = await request(app.app.getHttpServer()).get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', runner: 'stopped', database: 'up' });
    await request(app.app.getHttpServer()).get('/health/live').expect(200);
  });
});
