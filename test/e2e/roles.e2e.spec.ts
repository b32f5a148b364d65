import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import pg from 'pg';
import { startTestApp, api, newCompany, OPERATOR_KEY, type Api } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { stripeWebhooks } from '../support/stripe-webhooks.js';
import { builders } from '../stripe-emulator/index.js';
import type { RunningApp } from '../../src/bootstrap.js';

const SECRET = 'whsec_roles_e2e';

/** ROLE=web and ROLE=worker on one database (SPEC §13): the web process answers, the worker projects and reacts. */
describe('web and worker roles', () => {
  let databaseUrl: string;
  let web: RunningApp;
  let worker: RunningApp | undefined;
  let admin: Api;
  let send: ReturnType<typeof stripeWebhooks>;
  let db: pg.Client;
  const checkpoints = async () => (await db.query<{ name: string; checkpoint: string }>('select name, checkpoint from es_checkpoints order by name')).rows;
  const paymentIds = async () =>
    ((await admin.get('/v1/payments?limit=100').expect(200)).body.data as { stripeObjectId: string }[]).map((p) => p.stripeObjectId).sort();

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('pf_roles');
    worker = await startTestApp({ DATABASE_URL: databaseUrl, ROLE: 'worker' });
    web = await startTestApp({ DATABASE_URL: databaseUrl, ROLE: 'web' });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const created = await newCompany(web, { name: 'Split' });
    admin = created.admin;
    await admin.put('/v1/company/stripe', { webhookSecret: SECRET }).expect(200);
    send = stripeWebhooks(web, created.company.id, SECRET);
  });
  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await web?.close();
  });

  it('the worker serves only health and metrics: the API, webhooks, console and docs are 404 problem+json there', async () => {
    const server = worker!.app.getHttpServer();
    for (const path of ['/v1/companies', '/', '/docs', '/admin/partners']) {
      const res = await request(server).get(path).set('Authorization', `Bearer ${OPERATOR_KEY}`).expect(404);
      expect([path, res.headers['content-type']]).toEqual([path, expect.stringContaining('application/problem+json')]);
      expect(res.body.code).toBe('not_served_by_worker');
    }
    const webhook = await request(server).post('/v1/webhooks/stripe/co_x').set('Content-Type', 'application/json').send('{}').expect(404);
    expect(webhook.body.code).toBe('not_served_by_worker');
    expect((await request(server).get('/health/ready').expect(200)).body).toMatchObject({ status: 'ready', role: 'worker', runner: 'started' });
    await request(server).get('/health/live').expect(200);
    await request(server).get('/health').expect(200);
    await api(worker!, OPERATOR_KEY).get('/metrics').expect(200);
  });

  it('the web process runs no background work; its writes are projected by the worker and read back through it', async () => {
    expect(web.runner.started).toBe(false);
    expect((await request(web.app.getHttpServer()).get('/health/ready').expect(200)).body).toMatchObject({
      status: 'ready',
      role: 'web',
      runner: 'not_run_here',
    });
    const event = builders.invoicePaid({ amount: 2500 });
    await send(event).expect(200);
    await eventually(async () => expect(await paymentIds()).toContain(event.data.object.id));
  });

  it('with no worker, the web process still acknowledges webhooks but projects nothing; a new worker catches up', async () => {
    await worker!.close();
    worker = undefined;
    const before = await checkpoints();
    const event = builders.invoicePaid({ amount: 3100 });
    expect((await send(event).expect(200)).body).toEqual({ received: true });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await checkpoints()).toEqual(before);
    expect(await paymentIds()).not.toContain(event.data.object.id);

    worker = await startTestApp({ DATABASE_URL: databaseUrl, ROLE: 'worker' });
    await eventually(async () => expect(await paymentIds()).toContain(event.data.object.id));
  });
});
