import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { OPERATOR_KEY, TEST_ENCRYPTION_KEY } from '../support/app.js';
import { builders, signWebhookPayload, type StripeEvent } from '../stripe-emulator/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = `${ROOT}dist/src/main.js`;
const SECRET = 'whsec_kill_test';

const freePort = () =>
  new Promise<number>((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });

/** The built app as a real process on its own port, logging to a buffer shown when a test fails. */
async function startProcess(databaseUrl: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      OPERATOR_API_KEY: OPERATOR_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url, output: () => output };
    if (Date.now() > deadline) throw new Error(`app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const killed = (child: ChildProcess) => new Promise<void>((ok) => (child.exitCode !== null || child.signalCode ? ok() : child.once('exit', () => ok())));

async function json(url: string, method: string, body?: object, key = OPERATOR_KEY) {
  const res = await fetch(url, { method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

function deliver(url: string, companyId: string, event: StripeEvent): Promise<number> {
  const payload = JSON.stringify(event);
  return fetch(`${url}/v1/webhooks/stripe/${companyId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signWebhookPayload(payload, SECRET) },
    body: payload,
  }).then(
    (r) => r.status,
    () => 0,
  );
}

describe('SIGKILL right after webhooks were acknowledged', () => {
  let databaseUrl: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const started = Date.now();
    // A type error elsewhere in the tree still emits JavaScript; what matters is a fresh main.js.
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
    if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < started - 1000) throw new Error('npm run build did not produce dist/src/main.js');
    databaseUrl = await createTestDatabase('pf_kill');
  }, 300_000);
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('loses no acknowledged webhook and makes exactly one payment per event', async () => {
    const first = await startProcess(databaseUrl);
    children.push(first.child);
    const company = await json(`${first.url}/v1/companies`, 'POST', { name: 'Killed' });
    const admin = company.body.adminApiKey as string;
    expect((await json(`${first.url}/v1/company/stripe`, 'PUT', { webhookSecret: SECRET }, admin)).status).toBe(200);
    const partner = await json(`${first.url}/v1/partners`, 'POST', { name: 'P', email: 'p@kill.test', currency: 'usd' }, admin);
    expect((await json(`${first.url}/v1/leads`, 'POST', { partnerId: partner.body.id, email: 'buyer@kill.test' }, admin)).status).toBe(201);

    const events = Array.from({ length: 60 }, (_, i) => builders.invoicePaid({ amount: 1000 + i, email: i % 3 === 0 ? 'Buyer@kill.test' : `x${i}@kill.test` }));
    const acked = new Set<string>();
    // Deliver concurrently and kill the process the moment 40 were acknowledged, while the rest are in flight.
    await new Promise<void>((done) => {
      let settled = 0;
      for (const e of events) {
        void deliver(first.url, company.body.id, e).then((status) => {
          if (status === 200) acked.add(e.id);
          if (acked.size === 40 && first.child.exitCode === null) first.child.kill('SIGKILL');
          if (++settled === events.length) done();
        });
      }
    });
    await killed(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(40);

    const second = await startProcess(databaseUrl);
    children.push(second.child);
    const paymentsByObject = async () => {
      const res = await json(`${second.url}/v1/payments?limit=200`, 'GET', undefined, admin);
      const ids = (res.body.data as { stripeObjectId: string }[]).map((p) => p.stripeObjectId);
      return { ids, distinct: new Set(ids) };
    };
    const ackedObjects = events.filter((e) => acked.has(e.id)).map((e) => e.data.object.id);
    const deadline = Date.now() + 30_000;
    let seen = await paymentsByObject();
    while (!ackedObjects.every((id) => seen.distinct.has(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await paymentsByObject();
    }
    expect(ackedObjects.filter((id) => !seen.distinct.has(id))).toEqual([]);
    expect(seen.ids.length).toBe(seen.distinct.size);

    // Stripe retries what it did not see acknowledged (and some it did): still one payment per event.
    for (const e of events) expect(await deliver(second.url, company.body.id, e)).toBe(200);
    const all = events.map((e) => e.data.object.id);
    const until = Date.now() + 30_000;
    seen = await paymentsByObject();
    while (seen.distinct.size < all.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await paymentsByObject();
    }
    expect([...seen.distinct].sort()).toEqual([...all].sort());
    expect(seen.ids).toHaveLength(all.length);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const dupes = await db.query(`select stream_id from es_events where type = 'PaymentRecorded' group by stream_id having count(*) > 1`);
      expect(dupes.rows).toEqual([]);
      const recorded = await db.query(`select count(*)::int as n from es_events where type = 'PaymentRecorded'`);
      expect(recorded.rows[0].n).toBe(all.length);
      const attributed = await db.query(`select count(*)::int as n from es_events where type = 'PaymentAttributed'`);
      expect(attributed.rows[0].n).toBe(events.filter((_, i) => i % 3 === 0).length);
    } finally {
      await db.end();
    }
    second.child.kill('SIGTERM');
    await killed(second.child);
  }, 180_000);
});
