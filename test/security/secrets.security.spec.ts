import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ModulesContainer } from '@nestjs/core';
import { PDFParse } from 'pdf-parse';
import type { RunningApp } from '../../src/bootstrap.js';
import { AuthGuard } from '../../libs/http/auth.js';
import { startStripeEmulator, type StripeEmulator } from '../stripe-emulator/index.js';
import { api, OPERATOR_KEY } from '../support/app.js';
import { capturedLogger, startLoggedApp, type CapturedLog } from '../support/captured-log.js';
import { discoverRoutes, requiredQuery, rolesOf, type Route } from '../support/openapi.js';
import { eventCounter, quiesce } from '../support/quiesce.js';
import { send } from '../support/raw-http.js';
import { seedTenant, tenantPaths, type Tenant } from '../support/tenant-data.js';

const PLATFORM_SK = `sk_test_platform${randomBytes(12).toString('hex')}`;
const PLATFORM_WHSEC = `whsec_platform${randomBytes(12).toString('hex')}`;
const CONNECT_WHSEC = `whsec_connect${randomBytes(12).toString('hex')}`;
const ENCRYPTION_KEY = randomBytes(32).toString('hex');
/** The invoice document is where bank details are shown in full (SPEC §3); it must still show no secret. */
// the invoice document shows the bank details in full, to the admin and to the partner whose invoice it is
const SHOWS_BANK_DETAILS = new Set(['GET /v1/invoices/{id}/document', 'GET /v1/portal/invoices/{id}/document']);

/**
 * Secrets go in (Stripe keys, webhook secrets, API keys, bank accounts), every readable route and the
 * whole log are read back: none comes out, except bank details on the invoice document.
 */
describe('secrets never in answers or logs', () => {
  let stripe: StripeEmulator;
  let app: RunningApp;
  let logs: CapturedLog;
  let a: Tenant;
  let b: Tenant;
  let routes: Route[];
  const answers: { route: string; path: string; text: string }[] = [];
  const nearMisses: string[] = [];

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    logs = capturedLogger('debug');
    app = await startLoggedApp(logs.log, {
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: PLATFORM_SK,
      STRIPE_WEBHOOK_SECRET: PLATFORM_WHSEC,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_WHSEC,
      ENCRYPTION_KEY,
      LOG_LEVEL: 'debug',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    [a, b] = await Promise.all([seedTenant(app, 'Keys'), seedTenant(app, 'Vault')]);
    routes = await discoverRoutes(app);

    // Paths that carry secrets: reconciliation with the stored key (also failing), a rejected connect, Stripe calls with the platform key.
    const record = (route: string, path: string, res: { text: string }) => answers.push({ route, path, text: res.text });
    record('POST /v1/company/stripe/reconcile', '/v1/company/stripe/reconcile', await a.admin.post('/v1/company/stripe/reconcile', {}));
    stripe.injectFault({ pathPrefix: '/v1/events', status: 401, count: 10 });
    record('POST /v1/company/stripe/reconcile', '/v1/company/stripe/reconcile (Stripe 401)', await a.admin.post('/v1/company/stripe/reconcile', {}));
    stripe.clearFaults();
    record(
      'PUT /v1/company/stripe',
      '/v1/company/stripe (invalid)',
      await a.admin.put('/v1/company/stripe', { webhookSecret: `${a.webhookSecret}!`, apiKey: `pk_live_${a.stripeApiKey}` }),
    );
    record('PUT /v1/company/stripe', '/v1/company/stripe', await a.admin.put('/v1/company/stripe', { webhookSecret: a.webhookSecret, apiKey: a.stripeApiKey }));
    record(
      'PATCH /v1/portal/bank-details',
      '/v1/portal/bank-details',
      await a.p1.portal.patch('/v1/portal/bank-details', { accountHolder: 'Keys Holder', bankName: 'Testbank', country: 'DE', iban: a.bank.iban }),
    );
    record(
      'POST /v1/company/payment-method/setup-intent',
      '/v1/company/payment-method/setup-intent',
      await a.admin.post('/v1/company/payment-method/setup-intent'),
    );
    record('POST /v1/portal/stripe/onboarding-link', '/v1/portal/stripe/onboarding-link', await a.p1.portal.post('/v1/portal/stripe/onboarding-link'));
    await a.send({ id: 'evt_bad', object: 'event', type: 'invoice.paid', data: { object: {} } }, { secret: b.webhookSecret }).expect(400);
    // Near misses of real keys: an attacker's guesses or a user's typos must not be written down either.
    for (const key of [a.adminKey, a.p1.key, OPERATOR_KEY]) nearMisses.push(`${key.slice(0, -2)}zz`);
    for (const key of nearMisses) await api(app, key).get('/v1/company').expect(401);
    await quiesce(app);

    for (const r of routes.filter((x) => x.method === 'get' && !rolesOf(x).includes('public'))) {
      const paths = tenantPaths(r, a);
      const withP2 = paths.map((p) =>
        [a.p1.id, a.p1.leadId, a.p1.paymentId, a.p1.commissionId, a.p1.invoiceId].reduce(
          (acc, id, i) => acc.replaceAll(id, [a.p2.id, a.p2.leadId, a.p2.paymentId, a.p2.commissionId, a.p2.invoiceId][i]!),
          p,
        ),
      );
      const keys = rolesOf(r).flatMap((role) => ({ operator: [OPERATOR_KEY], admin: [a.adminKey], partner: [a.p1.key, a.p2.key], public: [] })[role]);
      for (const path of [...new Set([...paths, ...withP2])]) {
        for (const key of keys) {
          const res = await send(app, { method: 'get', path: `${path}${requiredQuery(r)}`, key });
          const text = res.contentType.includes('application/pdf') ? (await new PDFParse({ data: new Uint8Array(res.raw) }).getText()).text : res.text;
          answers.push({ route: r.key, path, text });
        }
      }
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
  });

  const stripeSecrets = () => [
    a.webhookSecret,
    a.stripeApiKey,
    b.webhookSecret,
    b.stripeApiKey,
    a.webhookEndpoint.secret,
    b.webhookEndpoint.secret,
    PLATFORM_SK,
    PLATFORM_WHSEC,
    CONNECT_WHSEC,
    OPERATOR_KEY,
    ENCRYPTION_KEY,
  ];
  const apiKeys = () => [a.adminKey, b.adminKey, a.p1.key, a.p2.key, b.p1.key, b.p2.key];
  const spaced = (iban: string) => iban.replace(/(.{4})/g, '$1 ').trim();
  const bankNumbers = () => [a, b].flatMap((t) => [t.bank.iban, spaced(t.bank.iban), t.bank.accountNumber]);
  const found = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));

  it('walked every readable route with real ids and every key that may read it', () => {
    const walked = new Set(answers.map((x) => x.route));
    const readable = routes.filter((r) => r.method === 'get' && !rolesOf(r).includes('public')).map((r) => r.key);
    expect(readable.filter((k) => !walked.has(k))).toEqual([]);
    expect(answers.filter((x) => x.text.includes(a.p1.id)).length).toBeGreaterThan(5);
  });

  it('no answer holds a Stripe key, a webhook secret, the operator or encryption key, or an API key after its creation', () => {
    const leaks = answers
      .map((x) => ({ at: `${x.route} ${x.path}`, leaked: found(x.text, [...stripeSecrets(), ...apiKeys()]) }))
      .filter((x) => x.leaked.length);
    expect(leaks).toEqual([]);
  });

  it('no answer holds a full IBAN or account number, except the invoice document; masked forms show the last four', () => {
    const leaks = answers
      .filter((x) => !SHOWS_BANK_DETAILS.has(x.route))
      .map((x) => ({ at: `${x.route} ${x.path}`, leaked: found(x.text, bankNumbers()) }))
      .filter((x) => x.leaked.length);
    expect(leaks).toEqual([]);
    const partner = answers.find((x) => x.route === 'GET /v1/partners/{id}' && x.path.endsWith(a.p1.id))!;
    expect(JSON.parse(partner.text).bankDetails.iban).toMatch(new RegExp(`${a.bank.iban.slice(-4)}$`));
    // The exception is real: the document shows the partner's account in full (a PDF read as text).
    const document = answers.find((x) => SHOWS_BANK_DETAILS.has(x.route) && x.path.includes(a.p1.invoiceId));
    expect(document?.text.replace(/\s+/g, '')).toContain(a.bank.iban);
  });

  it('the logs (debug level, every request above) hold none of those secrets, bank numbers or near-miss keys', () => {
    expect(logs.lines.length).toBeGreaterThan(50);
    expect(found(logs.text(), [...stripeSecrets(), ...apiKeys(), ...bankNumbers(), ...nearMisses])).toEqual([]);
  });

  it('nothing at rest holds a webhook secret, Stripe key, API key or bank number in plain text (events and read models)', async () => {
    const db = eventCounter(app.databaseUrl);
    try {
      const tables = await db.query<{ name: string }>(
        `select format('%I.%I', table_schema, table_name) as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`,
      );
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['public.es_events', 'public.companies', 'public.partners']));
      const leaks: string[] = [];
      for (const { name } of tables) {
        for (const secret of [a.webhookSecret, a.stripeApiKey, a.webhookEndpoint.secret, a.adminKey, a.p1.key, a.bank.iban, b.bank.accountNumber]) {
          const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${name} t where strpos(t::text, $1) > 0`, [secret]);
          if (row!.n > 0) leaks.push(`${name} holds ${secret.slice(0, 8)}…`);
        }
      }
      expect(leaks).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('each failed authentication is logged with its path and running count, never the key; the per-minute rate is logged', async () => {
    const before = logs.entries('authentication failed').length;
    const bad = Array.from({ length: 7 }, (_, i) => `pf_admin_guess_${i}_${randomBytes(6).toString('hex')}`);
    for (const [i, key] of bad.entries())
      await api(app, key)
        .get(i % 2 ? '/v1/partners' : '/v1/company')
        .expect(401);
    const lines = logs.entries('authentication failed').slice(before);
    expect(lines.map((l) => [l.path, l.level])).toEqual(bad.map((_, i) => [i % 2 ? '/v1/partners' : '/v1/company', 40]));
    const counts = lines.map((l) => l.failuresThisMinute as number);
    expect(counts).toEqual(counts.map((_, i) => counts[0]! + i));
    expect(found(logs.text(), bad)).toEqual([]);

    // The rate line is written when a minute's window closes; move the guard's window back instead of waiting a minute.
    const guard = [...app.app.get(ModulesContainer).values()]
      .flatMap((m) => [...m.providers.values(), ...m.injectables.values()])
      .map((w) => w.instance)
      .find((i) => i instanceof AuthGuard) as AuthGuard;
    expect(guard).toBeInstanceOf(AuthGuard);
    // Its private rate window, moved a minute back.
    Reflect.set(guard, 'windowStart', Number(Reflect.get(guard, 'windowStart')) - 61_000);
    await api(app).get('/v1/company').expect(401);
    const [rate] = logs.entries('failed authentication rate').slice(-1);
    expect(rate).toMatchObject({ level: 40, failedAuthPerMinute: counts[counts.length - 1] });
  });
});
