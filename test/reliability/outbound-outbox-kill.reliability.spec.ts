import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import Stripe from 'stripe';
import { createTestDatabase } from '../support/database.js';
import { call, ensureBuilt, startAppProcess, type AppProcess } from '../support/app-process.js';
import { OPERATOR_KEY } from '../support/app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const stripe = new Stripe('sk_test_verifier');

/** The webhook outbox survives SIGKILL: every event of the burst is delivered after a restart, none under a new id. */
describe('SIGKILL during a burst of outgoing webhooks', () => {
  let databaseUrl: string;
  let receiver: WebhookReceiver;
  const processes: AppProcess[] = [];
  const env = { WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOUND_RETRY_BASE_MS: '100' };
  let killed = false;

  beforeAll(async () => {
    await ensureBuilt();
    databaseUrl = await createTestDatabase('pf_outbox_kill');
    // refuses everything until the first process is killed, so the burst is still owed when it dies and only the
    // restarted process can deliver it (with a receiver that always accepts, a fast machine delivered it all first)
    receiver = await startWebhookReceiver(() => (killed ? 200 : 503));
  }, 300_000);
  afterAll(async () => {
    for (const p of processes) await p.stop();
    await receiver.close();
  });

  it('delivers every acknowledged event after the restart, each under the id it first had', async () => {
    const first = await startAppProcess('outbox-first', databaseUrl, env);
    processes.push(first);
    const company = await call(first.url, 'POST', '/v1/companies', OPERATOR_KEY, { name: 'Outboxed' });
    const admin = company.json.adminApiKey as string;
    const ep = await call(first.url, 'POST', '/v1/webhook-endpoints', admin, { url: `${receiver.url}/hooks`, events: ['lead.created'] });
    expect(ep.status).toBe(201);
    const partner = await call(first.url, 'POST', '/v1/partners', admin, { name: 'P', email: 'p@outbox.test', currency: 'usd' });

    const acked = new Set<string>();
    const kill = () => {
      if (killed) return;
      first.child.kill('SIGKILL');
      killed = true;
    };
    const attempted = () => receiver.received.some((w) => w.body.type === 'lead.created');
    await new Promise<void>((done) => {
      let settled = 0;
      for (let i = 0; i < 80; i++) {
        void call(first.url, 'POST', '/v1/leads', admin, { partnerId: partner.json.id, email: `lead${i}@outbox.test` }).then((res) => {
          if (res.status === 201) acked.add(res.json.id);
          // killed while leads are still being created and their deliveries are being sent
          if (acked.size >= 40 && attempted()) kill();
          if (++settled === 80) done();
        });
      }
    });
    // on a loaded machine the first delivery attempt may come after the burst: kill once it has
    for (const until = Date.now() + 30_000; !killed && !attempted() && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
    kill();
    await first.stop();
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(40);
    const beforeRestart = receiver.received.length;
    expect(receiver.received.some((w) => w.body.type === 'lead.created')).toBe(true); // attempts were made, and refused

    const second = await startAppProcess('outbox-second', databaseUrl, env);
    processes.push(second);
    const deadline = Date.now() + 90_000;
    const delivered = () => new Set(receiver.received.map((w) => w.body.data.object.id as string));
    while ([...acked].some((id) => !delivered().has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect([...acked].filter((id) => !delivered().has(id))).toEqual([]);
    expect(receiver.received.length).toBeGreaterThan(beforeRestart);

    // everything recorded is delivered: nothing stays pending (what the killed process had claimed waits for its 30 s lease)
    const pending = () => call(second.url, 'GET', `/v1/webhook-endpoints/${ep.json.id}/deliveries?limit=200&status=pending`, admin);
    const deadline2 = Date.now() + 60_000;
    while ((await pending()).json.data.length > 0 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 200));
    expect((await pending()).json.data).toEqual([]);

    // one event id per lead, however often it was sent; every delivery verifies with the endpoint's secret
    const idsByLead = new Map<string, Set<string>>();
    for (const w of receiver.received) {
      expect(stripe.webhooks.constructEvent(w.raw, String(w.headers['partnerflow-signature']), ep.json.secret)).toMatchObject({ type: 'lead.created' });
      const ids = idsByLead.get(w.body.data.object.id) ?? new Set();
      ids.add(w.body.id);
      idsByLead.set(w.body.data.object.id, ids);
    }
    expect([...idsByLead.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    const log = await call(second.url, 'GET', `/v1/webhook-endpoints/${ep.json.id}/deliveries?limit=200`, admin);
    const logged = log.json.data as { eventId: string; status: string }[];
    expect(logged.every((d) => d.status === 'succeeded')).toBe(true);
    expect(new Set(logged.map((d) => d.eventId))).toEqual(new Set([...idsByLead.values()].map((ids) => [...ids][0])));
    const leads = await call(second.url, 'GET', '/v1/leads?limit=200', admin);
    expect(new Set(idsByLead.keys())).toEqual(new Set((leads.json.data as { id: string }[]).map((l) => l.id)));
  }, 180_000);
});
