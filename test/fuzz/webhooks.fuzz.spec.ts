import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { builders, makeEvent, signWebhookPayload, type StripeEvent } from '../stripe-emulator/index.js';
import { newCompany } from '../support/app.js';
import { quiesce } from '../support/quiesce.js';
import { startSeededApp, type SeededApp } from '../support/seeded-app.js';
import type { Tenant } from '../support/tenant-data.js';
import { anyString, Entries, jsonContainer, junk, toJson, urlString, type Json } from './arbitraries.js';
import type { Answer, Sent } from '../support/raw-http.js';
import { findings, prober, type Prober } from './probe.js';

const PLATFORM_SECRET = 'whsec_platform_fuzz';
const PLATFORM = '/v1/webhooks/stripe-platform';
const CONNECT_SECRET = 'whsec_connect_fuzz';
const CONNECT = '/v1/webhooks/stripe-connect';
const now = () => Math.floor(Date.now() / 1000);
const status =
  (...ok: number[]) =>
  (a: Answer) =>
    ok.includes(a.status) ? undefined : `expected ${ok.join('/')}, got ${a.status}`;

/** A Stripe-Signature header that must not verify for `payload` under `secret`. */
const badSignature = (payload: string, secret: string): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    anyString.filter((s) => /^[\x20-\x7e]{0,4000}$/.test(s)), // longer headers meet Node's limit (431) first
    fc.tuple(fc.integer(), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([t, h]) => `t=${t},v1=${Buffer.from(h).toString('hex')}`),
    fc.constant(signWebhookPayload(payload, 'whsec_someone_else')),
    fc.constantFrom(-301, 301, 86_400).map((skew) => signWebhookPayload(payload, secret, now() - skew)),
    fc.constant(signWebhookPayload(`${payload} `, secret)),
    fc.constant(`t=${now()},v0=${createHmac('sha256', secret).update(`${now()}.${payload}`).digest('hex')}`),
    fc.constant(`t=${now()},v1=${createHmac('sha256', secret).update(`${now()}.${payload}`).digest('hex').toUpperCase().slice(0, 63)}`),
  );

const rawBody = fc.oneof(junk.map(toJson), fc.string({ unit: 'binary', maxLength: 200 }), fc.constant(''));

/** Realistic events of the types the app handles, one top-level field of the object replaced with junk (sometimes the id or type too). */
const handledEvents = (customerId: string): StripeEvent[] => [
  builders.invoicePaid({ customer: customerId, amount: 1234 }),
  builders.chargeSucceeded({ customer: customerId, amount: 999 }),
  builders.chargeRefunded({ amount: 500 }),
  builders.checkoutSessionCompleted({}),
  builders.disputeClosed({}),
  builders.accountUpdated({}),
  builders.setupIntentSucceeded({}),
  builders.paymentIntentSucceeded({}),
  builders.paymentIntentPaymentFailed({}),
];
const eventId = () => `evt_fuzz${randomBytes(8).toString('hex')}`;

function mutatedEvent(customerId: string): fc.Arbitrary<Json> {
  const id = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyString });
  const type = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyString });
  return fc.tuple(fc.constantFrom(...handledEvents(customerId)), fc.nat(), junk, fc.boolean(), id, type).map(([e, pick, value, dropIt, weirdId, weirdType]) => {
    const object = e.data.object as Record<string, Json>;
    const keys = Object.keys(object);
    const key = keys[pick % keys.length]!;
    const entries = Object.entries(object)
      .filter(([k]) => !(dropIt && k === key))
      .map(([k, v]): [string, Json] => [k, k === key && !dropIt ? value : v]);
    return new Entries([
      ['id', weirdId ?? eventId()],
      ['object', 'event'],
      ['type', weirdType ?? e.type],
      ['created', now()],
      ['account', e.account ?? null],
      ['data', new Entries([['object', new Entries(entries)]])],
    ]);
  });
}

/** Random and adversarial deliveries to both Stripe endpoints: 400/404/409 and nothing stored unless signed and event-shaped. */
describe('fuzzing the Stripe webhook endpoints', () => {
  let s: SeededApp;
  let t: Tenant;
  let unconnected: string;
  let p: Prober;

  beforeAll(async () => {
    s = await startSeededApp(['Hook'], { STRIPE_WEBHOOK_SECRET: PLATFORM_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET });
    t = s.tenants[0]!;
    unconnected = (await newCompany(s.app, { name: 'No Stripe' })).company.id;
    p = prober(s.app, s.counter.count);
  }, 60_000);
  afterAll(() => s?.close());

  const post = (path: string, body: string, signature?: string): Sent => ({
    method: 'post',
    path,
    contentType: 'application/json',
    body,
    headers: signature === undefined ? {} : { 'Stripe-Signature': signature },
  });
  const companyPath = () => `/v1/webhooks/stripe/${t.companyId}`;

  it('company endpoint: any body with a bad, stale or missing signature → 400, nothing stored', async () => {
    const arb = rawBody.chain((body) => badSignature(body, t.webhookSecret).map((sig) => ({ body, sig })));
    expect(
      await findings('company webhook', arb, async ({ body, sig }) => void (await p.probe(post(companyPath(), body, sig), status(400))), 150, 5_000),
    ).toEqual([]);
  }, 60_000);

  it.each([
    ['platform account', PLATFORM, PLATFORM_SECRET],
    ['platform Connect', CONNECT, CONNECT_SECRET],
  ])(
    '%s endpoint: any body with a bad, stale or missing signature → 400, nothing stored',
    async (label, path, secret) => {
      const arb = rawBody.chain((body) => badSignature(body, secret).map((sig) => ({ body, sig })));
      expect(await findings(`${label} webhook`, arb, async ({ body, sig }) => void (await p.probe(post(path, body, sig), status(400))), 100, 4_000)).toEqual(
        [],
      );
    },
    60_000,
  );

  it('unknown company ids → 404 (400 if not an id at all), a company without Stripe → 409; nothing stored', async () => {
    const id = fc.oneof(
      anyString.filter((s) => s.length > 0 && s.length < 2000).map(urlString),
      fc.constantFrom('co_0000', '%00', '%E2%80%AE', '..%2F', 'x'.repeat(3000)),
    );
    const unknown = await findings(
      'unknown company',
      fc.tuple(id, jsonContainer),
      async ([companyId, body]) => {
        // 400 where the id cannot be one at all (a NUL character), 404 otherwise.
        await p.probe(post(`/v1/webhooks/stripe/${companyId}`, body, signWebhookPayload(body, t.webhookSecret)), status(404, 400));
      },
      80,
      4_000,
    );
    // Bodies holding NUL or a lone surrogate are refused (400) before the company is looked at.
    const notConnected = await findings(
      'company without Stripe',
      jsonContainer.filter((b) => !/\\u(0000|d[89a-f])/i.test(b)),
      async (body) => {
        await p.probe(post(`/v1/webhooks/stripe/${unconnected}`, body, signWebhookPayload(body, 'whsec_guess')), status(409));
      },
      30,
      2_000,
    );
    expect([...unknown, ...notConnected]).toEqual([]);
  }, 60_000);

  it('correctly signed bodies that are not Stripe events → 400, nothing stored', async () => {
    const notEvent = fc.oneof(
      rawBody.filter((b) => !/"id"\s*:/.test(b) || !/"type"\s*:/.test(b)),
      fc.constantFrom(
        '[]',
        '{}',
        'null',
        '{"object":"event","type":"invoice.paid","data":{"object":{}}}',
        '{"id":"evt_x","object":"event","data":{"object":{}}}',
      ),
    );
    const company = await findings(
      'company webhook',
      notEvent,
      async (body) => void (await p.probe(post(companyPath(), body, signWebhookPayload(body, t.webhookSecret)), status(400))),
      100,
      4_000,
    );
    const platform = await findings(
      'platform webhook',
      notEvent,
      async (body) => void (await p.probe(post(PLATFORM, body, signWebhookPayload(body, PLATFORM_SECRET)), status(400))),
      100,
      4_000,
    );
    const connect = await findings(
      'Connect webhook',
      notEvent,
      async (body) => void (await p.probe(post(CONNECT, body, signWebhookPayload(body, CONNECT_SECRET)), status(400))),
      50,
      3_000,
    );
    expect([...company, ...platform, ...connect]).toEqual([]);
  }, 60_000);

  it('signed events with junk in their objects: 2xx once (a redelivery stores nothing), or 400; no subscription stops', async () => {
    const deliver = (path: string, secret: string) => async (event: Json) => {
      const body = toJson(event);
      const first = await p.probe(post(path, body, signWebhookPayload(body, secret)), is2xxOr400);
      if (first.status >= 400) return;
      const before = await s.counter.count();
      await p.probe(post(path, body, signWebhookPayload(body, secret)), status(200));
      if ((await s.counter.count()) !== before) throw new Error(`a redelivery stored events: ${body.slice(0, 300)}`);
      const failed = await s.counter.failed();
      if (failed.length) throw new Error(`subscription stopped after ${body.slice(0, 400)}: ${JSON.stringify(failed)}`);
    };
    const company = await findings('company webhook', mutatedEvent(t.customerId), deliver(companyPath(), t.webhookSecret), 80, 10_000);
    // As Stripe routes them: connected accounts' events (with `account`) to the Connect endpoint, the others to the account endpoint.
    const platform = await findings(
      'platform webhooks',
      mutatedEvent(t.customerId),
      async (event) => {
        const body = toJson(event);
        const account = body.indexOf('"account":"');
        const connect = account >= 0 && account < body.indexOf('"data":');
        await (connect ? deliver(CONNECT, CONNECT_SECRET) : deliver(PLATFORM, PLATFORM_SECRET))(event);
      },
      60,
      6_000,
    );
    expect([...company, ...platform]).toEqual([]);
  }, 90_000);

  it('signed events carrying the poison values of one tenant (impossible timestamps, 6 KB ids, amounts past 2^53) → 400, nothing stored, nothing parked', async () => {
    const huge = (prefix: string) => `${prefix}_${randomBytes(3_000).toString('hex')}`;
    const poison = fc.constantFrom<[string, Json]>(
      ['created', -62_167_219_200],
      ['created', 253_402_300_800],
      ['created', 2 ** 53 - 1],
      ['created', 1e308],
      ['created', -1],
      ['object.status_transitions', new Entries([['paid_at', 253_402_300_800]])],
      ['object.created', 2 ** 53 - 1],
      ['object.customer', huge('cus')],
      ['object.id', huge('ch')],
      ['object.charge', huge('ch')],
      ['object.payment_intent', huge('pi')],
      ['object.customer', 'cus_bad id'],
      ['object.amount', 2 ** 53 - 1],
      ['object.amount_paid', 1e308],
      ['object.amount_refunded', 2 ** 53],
      ['object.amount', 1.5],
      ['object.client_reference_id', 'r'.repeat(5_000)],
    );
    const companyEvents = handledEvents(t.customerId).slice(0, 5);
    const arb = fc.tuple(fc.constantFrom(...companyEvents), poison).map(([e, [path, value]]) => {
      const object = new Entries(
        Object.entries(e.data.object as Record<string, Json>)
          .filter(([k]) => k !== path.replace('object.', ''))
          .concat(path.startsWith('object.') ? [[path.slice(7), value]] : []),
      );
      return new Entries([
        ['id', eventId()],
        ['object', 'event'],
        ['type', e.type],
        ['created', path === 'created' ? value : now()],
        ['data', new Entries([['object', object]])],
      ]);
    });
    const refused = await findings(
      'company webhook',
      arb,
      async (event) => {
        const body = toJson(event);
        await p.probe(post(companyPath(), body, signWebhookPayload(body, t.webhookSecret)), status(400));
      },
      60,
      8_000,
    );
    expect(refused).toEqual([]);
    await quiesce(s.app);
    expect(await s.counter.failed()).toEqual([]);
  }, 60_000);

  it('a valid delivery still works after the fuzzing: stored once, attributed', async () => {
    const event = makeEvent('invoice.paid', builders.invoicePaid({ customer: t.customerId, amount: 4321 }).data.object, { eventId: eventId() });
    const body = JSON.stringify(event);
    const a = await p.probe(post(companyPath(), body, signWebhookPayload(body, t.webhookSecret)), status(200));
    expect(a.json).toEqual({ received: true });
    await quiesce(s.app);
    const rows = await s.counter.query<{ n: number }>(
      `select count(*)::int as n from es_events where type = 'PaymentRecorded' and data->>'stripeEventId' = $1`,
      [event.id],
    );
    expect(rows[0]!.n).toBe(1);
    expect(await s.counter.failed()).toEqual([]);
  });
});

const is2xxOr400 = (a: Answer) => (a.status < 300 || a.status === 400 ? undefined : `expected 2xx or 400, got ${a.status}`);
