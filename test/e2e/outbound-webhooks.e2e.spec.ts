import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import Stripe from 'stripe';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { startWebhookReceiver, type Answer, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders } from '../stripe-emulator/index.js';
import { readSql } from '../../libs/database/sql.js';
import type { RunningApp } from '../../src/bootstrap.js';
import { registry } from '../../libs/metrics/metrics.js';
import { sampleValue } from '../support/prometheus-text.js';

const stripe = new Stripe('sk_test_verifier');
const STRIPE_SECRET = 'whsec_outbound_e2e';

/** What a receiver does with Stripe's own library: the header name aside, the same code verifies our deliveries. */
const verify = (w: ReceivedWebhook, secret: string) => stripe.webhooks.constructEvent(w.raw, String(w.headers['partnerflow-signature']), secret);

describe('outgoing webhooks (real local receivers, WEBHOOK_ALLOW_PRIVATE=true)', () => {
  let app: RunningApp;
  let admin: Api;
  let companyId: string;
  const receivers: WebhookReceiver[] = [];

  const receiver = async (answer?: (w: ReceivedWebhook, i: number) => Answer) => {
    const r = await startWebhookReceiver(answer);
    receivers.push(r);
    return r;
  };
  const endpoint = async (a: Api, url: string, events: string[]) =>
    (await a.post('/v1/webhook-endpoints', { url, events }).expect(201)).body as { id: string; secret: string; status: string };
  const deliveries = async (a: Api, endpointId: string) => (await a.get(`/v1/webhook-endpoints/${endpointId}/deliveries`).expect(200)).body.data as any[];

  beforeAll(async () => {
    app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOUND_RETRY_BASE_MS: '200' });
    const c = await newCompany(app, { name: 'Hooked' });
    admin = c.admin;
    companyId = c.company.id;
  });
  afterAll(async () => {
    await app.close();
    for (const r of receivers) await r.close();
  });

  it('creates an endpoint with a one-time whsec_ secret, lists it without the secret, and refuses bad input naming the field', async () => {
    const r = await receiver();
    const created = await admin.post('/v1/webhook-endpoints', { url: `${r.url}/hooks`, events: ['lead.created'], description: 'CRM' }).expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^we_/),
      url: `${r.url}/hooks`,
      events: ['lead.created'],
      description: 'CRM',
      status: 'enabled',
      disabledAt: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    const list = await admin.get('/v1/webhook-endpoints').expect(200);
    const listed = list.body.data.find((e: { id: string }) => e.id === created.body.id);
    expect(listed).toMatchObject({ status: 'enabled' });
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    const stored = await readSql(app.orm).query<{ secret_encrypted: string }>('select secret_encrypted from webhook_endpoints where id = $1', [
      created.body.id,
    ]);
    expect(stored[0]!.secret_encrypted).not.toContain(created.body.secret.slice(6));

    for (const [body, field] of [
      [{ url: r.url, events: ['lead.created', 'no.such'] }, 'events'],
      [{ url: r.url, events: [] }, 'events'],
      [{ url: 'not a url', events: ['lead.created'] }, 'url'],
      [{ url: 'ftp://127.0.0.1/x', events: ['lead.created'] }, 'url'],
      [{ url: 'https://user:pw@127.0.0.1/x', events: ['lead.created'] }, 'url'],
      [{ events: ['lead.created'] }, 'url'],
    ] as const) {
      const res = await admin.post('/v1/webhook-endpoints', body).expect((x) => expect([400, 422]).toContain(x.status));
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await admin.delete(`/v1/webhook-endpoints/${created.body.id}`).expect(204);
    await admin.delete(`/v1/webhook-endpoints/${created.body.id}`).expect(404);
  });

  it('delivers signed events a receiver verifies with the stripe library; data.object is the resource as the API shows it', async () => {
    const r = await receiver();
    const ep = await endpoint(admin, `${r.url}/partnerflow`, ['partner.created', 'lead.created']);
    const partner = (await admin.post('/v1/partners', { name: 'Pat <b>', email: 'pat@hooks.test', currency: 'usd' }).expect(201)).body;
    const lead = (await admin.post('/v1/leads', { partnerId: partner.id, email: 'buyer@hooks.test' }).expect(201)).body;
    await eventually(async () => expect(r.received).toHaveLength(2));
    const [first, second] = r.received;
    expect(first!.path).toBe('/partnerflow');
    expect(first!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(String(first!.headers['partnerflow-signature'])).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    const verified = verify(first!, ep.secret);
    expect(verified).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
      type: 'partner.created',
      created: expect.any(Number),
      data: { object: (await admin.get(`/v1/partners/${partner.id}`)).body },
    });
    expect(verify(second!, ep.secret)).toMatchObject({ type: 'lead.created', data: { object: (await admin.get(`/v1/leads/${lead.id}`)).body } });
    expect(() => verify(first!, 'whsec_wrong')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() =>
      stripe.webhooks.constructEvent(first!.raw.replace('partner.created', 'partner.created '), String(first!.headers['partnerflow-signature']), ep.secret),
    ).toThrow();

    const log = await deliveries(admin, ep.id);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      eventId: second!.body.id,
      type: 'lead.created',
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(log[0].lastDurationMs).toEqual(expect.any(Number));
    expect(Date.parse(log[0].lastAttemptAt)).not.toBeNaN();
  });

  it('500 then 200: the same event id and body are retried with backoff; the log shows both attempts', async () => {
    const delivered = async (outcome: string) => sampleValue(await registry.metrics(), 'partnerflow_deliveries_total', { outcome });
    const before = { failed: await delivered('failed'), succeeded: await delivered('succeeded') };
    const r = await receiver((_w, i) => (i === 0 ? 500 : 200));
    const ep = await endpoint(admin, r.url, ['partner.created']);
    await admin.post('/v1/partners', { name: 'Retry', email: 'retry@hooks.test', currency: 'usd' }).expect(201);
    await eventually(async () => expect(r.received).toHaveLength(2));
    const [a, b] = r.received;
    expect(verify(b!, ep.secret).id).toBe(verify(a!, ep.secret).id);
    expect(b!.raw).toBe(a!.raw);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(90);
    await eventually(async () =>
      expect(await deliveries(admin, ep.id)).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 2, lastStatusCode: 200, lastError: null })]),
    );
    // each attempt counted by its outcome (other tests' endpoints may get partner.created too: at least these two)
    expect((await delivered('failed')) - before.failed).toBeGreaterThanOrEqual(1);
    expect((await delivered('succeeded')) - before.succeeded).toBeGreaterThanOrEqual(1);
  });

  it('a failing delivery stays pending with its next attempt due and the answer recorded', async () => {
    const r = await receiver(() => 503);
    const ep = await endpoint(admin, r.url, ['partner.created']);
    await admin.post('/v1/partners', { name: 'Down', email: 'down@hooks.test', currency: 'usd' }).expect(201);
    const [d] = await eventually(async () => {
      const log = await deliveries(admin, ep.id);
      expect(log[0]?.attempts).toBeGreaterThanOrEqual(2);
      return log;
    });
    expect(d).toMatchObject({ status: 'pending', lastStatusCode: 503, lastError: 'answered 503' });
    expect(Date.parse(d.nextAttemptAt)).toBeGreaterThan(Date.parse(d.lastAttemptAt));
    await admin.delete(`/v1/webhook-endpoints/${ep.id}`).expect(204);
  });

  it('keeps the order of one resource’s events: a later event waits until the earlier one is delivered', async () => {
    await admin.put('/v1/company/stripe', { webhookSecret: STRIPE_SECRET }).expect(200);
    const send = stripeWebhooks(app, companyId, STRIPE_SECRET);
    let failedOnce = false;
    const r = await receiver((w) => (w.body.type === 'payment.unattributed' && !failedOnce ? ((failedOnce = true), 500) : 200));
    await endpoint(admin, r.url, ['payment.unattributed', 'payment.attributed']);
    const partner = (await admin.post('/v1/partners', { name: 'Ord', email: 'ord@hooks.test', currency: 'usd' }).expect(201)).body;
    const event = builders.invoicePaid({ customer: 'cus_order1', email: 'nobody@order.test' });
    await send(event).expect(200);
    const payment = await eventually(async () => {
      const [p] = (await admin.get('/v1/payments?customerId=cus_order1').expect(200)).body.data;
      expect(p.attribution.status).toBe('unattributed');
      return p;
    });
    const lead = (await admin.post('/v1/leads', { partnerId: partner.id, email: 'later@order.test' }).expect(201)).body;
    await admin.put(`/v1/leads/${lead.id}/stripe-customer`, { customerId: 'cus_order1', attributePastPayments: true }).expect(200);
    await eventually(async () => expect(r.ofType('payment.attributed')).toHaveLength(1));
    const types = r.received.map((w) => `${w.body.type}:${w.body.data.object.id}`);
    expect(types).toEqual([`payment.unattributed:${payment.id}`, `payment.unattributed:${payment.id}`, `payment.attributed:${payment.id}`]);
  });

  it('a dead endpoint of one company never delays another company’s deliveries', async () => {
    const dead = await receiver(() => 'hang');
    const live = await receiver();
    const { admin: other } = await newCompany(app, { name: 'Neighbour' });
    await endpoint(admin, dead.url, ['lead.created']);
    await endpoint(other, live.url, ['partner.created']);
    const partner = (await admin.post('/v1/partners', { name: 'Burst', email: 'burst@hooks.test', currency: 'usd' }).expect(201)).body;
    await Promise.all(Array.from({ length: 30 }, (_, i) => admin.post('/v1/leads', { partnerId: partner.id, email: `l${i}@burst.test` }).expect(201)));
    await eventually(async () => expect(dead.received.length).toBeGreaterThanOrEqual(16), { timeoutMs: 5_000 });
    const started = Date.now();
    await other.post('/v1/partners', { name: 'Neighbour partner', email: 'n@neighbour.test', currency: 'usd' }).expect(201);
    await eventually(async () => expect(live.ofType('partner.created')).toHaveLength(1), { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    // the dead endpoint has at most its own share in flight
    expect(dead.received.length).toBeLessThanOrEqual(16);
  });

  it('after 3 days of failures the endpoint is disabled and its queue closed', async () => {
    const r = await receiver(() => 500);
    const ep = await endpoint(admin, r.url, ['partner.created']);
    await admin.post('/v1/partners', { name: 'Doomed', email: 'doomed@hooks.test', currency: 'usd' }).expect(201);
    await eventually(async () => expect(r.received.length).toBeGreaterThanOrEqual(1));
    // three days pass: the first attempt was that long ago
    await readSql(app.orm).query(`update webhook_deliveries set created_at = created_at - interval '3 days', next_attempt_at = now() where endpoint_id = $1`, [
      ep.id,
    ]);
    await eventually(async () => {
      const [shown] = (await admin.get('/v1/webhook-endpoints').expect(200)).body.data.filter((e: { id: string }) => e.id === ep.id);
      expect(shown).toMatchObject({ status: 'disabled', disabledReason: 'last answer 500' });
      expect(Date.parse(shown.disabledAt)).not.toBeNaN();
    });
    expect(await deliveries(admin, ep.id)).toEqual([expect.objectContaining({ status: 'failed', lastStatusCode: 500, nextAttemptAt: null })]);
    const seen = r.received.length;
    await admin.post('/v1/partners', { name: 'After', email: 'after@hooks.test', currency: 'usd' }).expect(201);
    await new Promise((ok) => setTimeout(ok, 700));
    expect(r.received.length).toBe(seen);
    const audit = await readSql(app.orm).query<{ type: string }>(`select type from es_events where stream_id = $1 order by version`, [
      `webhookendpoint-${companyId}-${ep.id}`,
    ]);
    expect(audit.map((e) => e.type)).toEqual(['WebhookEndpointCreated', 'WebhookEndpointDisabled']);
  });

  it('POST /v1/webhook-deliveries/{id}/retry sends the same event again now; another company gets 404', async () => {
    const r = await receiver();
    const ep = await endpoint(admin, r.url, ['partner.created']);
    await admin.post('/v1/partners', { name: 'Again', email: 'again@hooks.test', currency: 'usd' }).expect(201);
    const [d] = await eventually(async () => {
      const log = await deliveries(admin, ep.id);
      expect(log[0]?.status).toBe('succeeded');
      return log;
    });
    const retried = await admin.post(`/v1/webhook-deliveries/${d.id}/retry`).expect(200);
    expect(retried.body).toMatchObject({ id: d.id, eventId: d.eventId, status: 'succeeded', attempts: 2, lastStatusCode: 200 });
    expect(r.received.map((w) => w.body.id)).toEqual([d.eventId, d.eventId]);
    const { admin: stranger } = await newCompany(app, { name: 'Stranger' });
    await stranger.post(`/v1/webhook-deliveries/${d.id}/retry`).expect(404);
    await stranger.get(`/v1/webhook-endpoints/${ep.id}/deliveries`).expect(404);
    await stranger.delete(`/v1/webhook-endpoints/${ep.id}`).expect(404);
    expect((await stranger.get('/v1/webhook-endpoints').expect(200)).body.data).toEqual([]);
    await admin.post('/v1/webhook-deliveries/wd_nope/retry').expect(404);
  });
});
