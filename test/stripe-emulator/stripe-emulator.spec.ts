import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { parseForm } from './form.js';
import { builders, PRE_BASIL_API_VERSION, signWebhookPayload, startStripeEmulator, type StripeEmulator } from './index.js';

const KEY = 'sk_test_emulator123';
let emulator: StripeEmulator;

const stripe = (config: Stripe.StripeConfig = {}) =>
  new Stripe(KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0, ...config });

async function caught(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const requestsTo = (path: string) => emulator.requests.filter((r) => r.method === 'POST' && r.path === path);

async function onboardedAccount(client = stripe()): Promise<Stripe.Account> {
  const account = await client.accounts.create({ type: 'express', capabilities: { transfers: { requested: true } } });
  emulator.completeAccountOnboarding(account.id);
  return account;
}

beforeAll(async () => {
  emulator = await startStripeEmulator();
});

afterAll(async () => {
  await emulator.close();
});

afterEach(() => emulator.clearFaults());

describe('authentication and routing', () => {
  it('answers 401 without an API key', async () => {
    const res = await fetch(`${emulator.url}/v1/customers`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as any;
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/did not provide an API key/);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('rejects an invalid key as StripeAuthenticationError', async () => {
    const err = await caught(new Stripe('sk_live_nope', { host: '127.0.0.1', port: emulator.port, protocol: 'http' }).customers.list());
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err.statusCode).toBe(401);
  });

  it('answers 404 invalid_request_error for an unknown route', async () => {
    const err = await caught(stripe().rawRequest('GET', '/v1/unicorns'));
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err.statusCode).toBe(404);
    expect(err.message).toMatch(/Unrecognized request URL \(GET: \/v1\/unicorns\)/);
  });

  it('rejects a Stripe-Account header naming an unknown account with 403', async () => {
    const err = await caught(stripe().customers.list({}, { stripeAccount: 'acct_unknown' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(err.code).toBe('account_invalid');
  });
});

describe('form encoding', () => {
  it('parses Stripe bracket notation into nested objects and arrays', () => {
    expect(
      parseForm('metadata[partnerId]=p1&transfer_data[destination]=acct_1&expand[]=a&expand[]=b&items[0][price]=x&items[1][price]=y&metadata[0]=z'),
    ).toEqual({
      metadata: { partnerId: 'p1', '0': 'z' },
      transfer_data: { destination: 'acct_1' },
      expand: ['a', 'b'],
      items: [{ price: 'x' }, { price: 'y' }],
    });
  });

  it('round-trips nested params sent by the SDK and records them', async () => {
    const customer = await stripe().customers.create({ email: 'a@example.com', metadata: { partnerId: 'p_1', 'ref code': 'x&y=z' } });
    expect(customer.metadata).toEqual({ partnerId: 'p_1', 'ref code': 'x&y=z' });
    const recorded = emulator.requests.at(-1)!;
    expect(recorded.params.metadata.partnerId).toBe('p_1');
    expect(recorded.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(recorded.idempotencyKey).toMatch(/^stripe-node-retry-/);
  });
});

describe('customers', () => {
  it('retrieves a customer with its metadata; a deleted one as Stripe’s DeletedCustomer; an unknown one is a 404 resource_missing', async () => {
    const customer = await stripe().customers.create({ metadata: { partnerflow: 'false' } });
    expect(((await stripe().customers.retrieve(customer.id)) as Stripe.Customer).metadata).toEqual({ partnerflow: 'false' });
    await stripe().customers.del(customer.id);
    expect(await stripe().customers.retrieve(customer.id)).toMatchObject({ id: customer.id, object: 'customer', deleted: true });
    expect((await stripe().customers.list()).data.map((c) => c.id)).not.toContain(customer.id);
    const err = await caught(stripe().customers.retrieve('cus_unknown'));
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('idempotency', () => {
  it('replays the stored response for the same key and parameters', async () => {
    const client = stripe();
    const customer = await client.customers.create();
    const params = { amount: 1500, currency: 'usd', customer: customer.id, metadata: { partnerId: 'p1' } };
    const first = await client.paymentIntents.create(params, { idempotencyKey: 'idem-replay' });
    const second = await client.paymentIntents.create(params, { idempotencyKey: 'idem-replay' });
    expect(second).toEqual(first);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(emulator.objects('payment_intents').filter((pi) => pi.customer === customer.id)).toHaveLength(1);
  });

  it('rejects the same key with different parameters with 400 idempotency_error', async () => {
    const client = stripe();
    await client.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'idem-mismatch' });
    const err = await caught(client.paymentIntents.create({ amount: 2000, currency: 'usd' }, { idempotencyKey: 'idem-mismatch' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err.statusCode).toBe(400);
    expect(err.message).toMatch(/same parameters they were first used with/);
  });

  it('does not store parameter validation errors, so the key stays usable', async () => {
    const client = stripe();
    const err = await caught(client.paymentIntents.create({ amount: 10, currency: 'usd' }, { idempotencyKey: 'idem-invalid' }));
    expect(err.code).toBe('amount_too_small');
    const intent = await client.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'idem-invalid' });
    expect(intent.amount).toBe(1000);
  });

  it('answers 409 to a concurrent request while the first one with the key is in progress', async () => {
    const client = stripe();
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/customers', delayMs: 300 });
    const first = client.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'idem-concurrent' });
    await sleep(50);
    const err = await caught(client.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'idem-concurrent' }));
    expect(err.statusCode).toBe(409);
    expect(err.rawType).toBe('idempotency_error');
    expect(err.code).toBe('idempotency_key_in_use');
    const created = await first;
    const replay = await client.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'idem-concurrent' });
    expect(replay.id).toBe(created.id);
  });
});

describe('fault injection', () => {
  it('a 500 before the effect creates nothing, and a retry with the same key runs for real', async () => {
    const client = stripe();
    const customer = await client.customers.create();
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 500 });
    const params = { amount: 5000, currency: 'usd', customer: customer.id };
    const err = await caught(client.paymentIntents.create(params, { idempotencyKey: 'fault-500' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(err.statusCode).toBe(500);
    expect(emulator.objects('payment_intents').filter((pi) => pi.customer === customer.id)).toHaveLength(0);

    const intent = await client.paymentIntents.create(params, { idempotencyKey: 'fault-500' });
    expect(intent.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(emulator.objects('payment_intents').filter((pi) => pi.customer === customer.id)).toEqual([expect.objectContaining({ id: intent.id })]);
  });

  it('the SDK retries a 500 automatically with its own idempotency key: one PaymentIntent', async () => {
    const client = stripe({ maxNetworkRetries: 2 });
    const customer = await client.customers.create();
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 500 });
    const intent = await client.paymentIntents.create({ amount: 5000, currency: 'usd', customer: customer.id });
    const attempts = requestsTo('/v1/payment_intents').slice(-2);
    expect(attempts[0].idempotencyKey).toBe(attempts[1].idempotencyKey);
    expect(
      emulator
        .objects('payment_intents')
        .filter((pi) => pi.customer === customer.id)
        .map((pi) => pi.id),
    ).toEqual([intent.id]);
  });

  it('afterEffect: the effect happens, the 500 loses the response, the retry replays it', async () => {
    const client = stripe({ maxNetworkRetries: 2 });
    const customer = await client.customers.create();
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 500, afterEffect: true });
    const intent = await client.paymentIntents.create({ amount: 5000, currency: 'usd', customer: customer.id });
    expect(intent.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(
      emulator
        .objects('payment_intents')
        .filter((pi) => pi.customer === customer.id)
        .map((pi) => pi.id),
    ).toEqual([intent.id]);
  });

  it('a plain 429 rate_limit is a StripeRateLimitError the SDK does not retry (as with real Stripe)', async () => {
    const before = requestsTo('/v1/payment_intents').length;
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 429 });
    const err = await caught(stripe({ maxNetworkRetries: 2 }).paymentIntents.create({ amount: 1000, currency: 'usd' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(err.code).toBe('rate_limit');
    expect(requestsTo('/v1/payment_intents').length - before).toBe(1);
  });

  it('a 429 lock_timeout carries Stripe-Should-Retry: true, so the SDK retries: one PaymentIntent', async () => {
    const client = stripe({ maxNetworkRetries: 2 });
    const customer = await client.customers.create();
    const before = requestsTo('/v1/payment_intents').length;
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', status: 429, code: 'lock_timeout' });
    const intent = await client.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id });
    expect(requestsTo('/v1/payment_intents').length - before).toBe(2);
    expect(
      emulator
        .objects('payment_intents')
        .filter((pi) => pi.customer === customer.id)
        .map((pi) => pi.id),
    ).toEqual([intent.id]);
  });

  it('a delay beyond the SDK timeout surfaces as StripeConnectionError while the effect still happens', async () => {
    const client = stripe({ timeout: 200 });
    const customer = await client.customers.create();
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', delayMs: 600 });
    const err = await caught(client.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(err.message).toMatch(/timeout/);
    expect(emulator.objects('payment_intents').filter((pi) => pi.customer === customer.id)).toHaveLength(0);
    await sleep(700);
    expect(emulator.objects('payment_intents').filter((pi) => pi.customer === customer.id)).toHaveLength(1);
  });

  it('SDK retries after a timeout converge on the single PaymentIntent (409 while in progress, then replay)', async () => {
    const client = stripe({ timeout: 200, maxNetworkRetries: 4 });
    const customer = await client.customers.create();
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/payment_intents', delayMs: 700 });
    const intent = await client.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id });
    expect(intent.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(
      emulator
        .objects('payment_intents')
        .filter((pi) => pi.customer === customer.id)
        .map((pi) => pi.id),
    ).toEqual([intent.id]);
  });

  it('faults are limited to `count` matching requests', async () => {
    emulator.injectFault({ method: 'GET', pathPrefix: '/v1/customers', status: 503, count: 2 });
    const client = stripe();
    expect((await caught(client.customers.list())).statusCode).toBe(503);
    expect((await caught(client.customers.list())).statusCode).toBe(503);
    await expect(client.customers.list()).resolves.toMatchObject({ object: 'list' });
  });
});

describe('payment intents', () => {
  it('confirms a visa payment off-session with a destination and records payment_intent.succeeded', async () => {
    const client = stripe();
    const account = await onboardedAccount(client);
    const customer = await client.customers.create({ email: 'payer@example.com' });
    const intent = await client.paymentIntents.create(
      {
        amount: 2500,
        currency: 'USD',
        customer: customer.id,
        payment_method: 'pm_card_visa',
        confirm: true,
        off_session: true,
        allowed_payment_method_types: ['card'],
        transfer_data: { destination: account.id },
        metadata: { payoutId: 'po_1' },
        description: 'Partner payout',
      },
      { idempotencyKey: 'pi-success' },
    );
    expect(intent).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount: 2500,
      amount_received: 2500,
      currency: 'usd',
      transfer_data: { destination: account.id },
      metadata: { payoutId: 'po_1' },
      livemode: false,
    });
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.latest_charge).toMatch(/^ch_/);
    expect(intent.payment_method).toMatch(/^pm_(?!card_)/);

    const expanded = await client.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
    expect(expanded.latest_charge).toMatchObject({
      object: 'charge',
      status: 'succeeded',
      amount: 2500,
      payment_method_details: { card: { brand: 'visa', last4: '4242' } },
    });

    const events = await client.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    const event = events.data.find((e) => (e.data.object as Stripe.PaymentIntent).id === intent.id);
    expect(event?.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: 'pi-success' });

    const listed = await client.paymentIntents.list({ customer: customer.id });
    expect(listed.data.map((pi) => pi.id)).toEqual([intent.id]);
  });

  it('declines pm_card_chargeDeclined with a 402 StripeCardError holding the PaymentIntent', async () => {
    const err = await caught(
      stripe().paymentIntents.create({
        amount: 2000,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
        allowed_payment_method_types: ['card'],
      }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe('card_declined');
    expect(err.decline_code).toBe('generic_decline');
    expect(err.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'generic_decline', type: 'card_error' },
    });
    const stored = emulator.objects('payment_intents').find((pi) => pi.id === err.payment_intent.id);
    expect(stored.status).toBe('requires_payment_method');
  });

  it('declines insufficient funds with decline_code insufficient_funds', async () => {
    const err = await caught(
      stripe().paymentIntents.create({
        amount: 2000,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
        confirm: true,
        allowed_payment_method_types: ['card'],
      }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.decline_code).toBe('insufficient_funds');
  });

  it('fails off-session payments needing 3DS with authentication_required; on-session they require action', async () => {
    const client = stripe();
    const err = await caught(
      client.paymentIntents.create({
        amount: 2000,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        allowed_payment_method_types: ['card'],
        off_session: true,
      }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.code).toBe('authentication_required');
    expect(err.payment_intent.status).toBe('requires_payment_method');
    const onSession = await client.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    expect(onSession.status).toBe('requires_action');
    expect(onSession.next_action?.type).toBe('use_stripe_sdk');
  });

  it('replays a stored card decline for the same idempotency key', async () => {
    const client = stripe();
    const params = { amount: 2000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, allowed_payment_method_types: ['card'] };
    const first = await caught(client.paymentIntents.create(params, { idempotencyKey: 'decline-replay' }));
    const second = await caught(client.paymentIntents.create(params, { idempotencyKey: 'decline-replay' }));
    expect(second.payment_intent.id).toBe(first.payment_intent.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('validates parameters like Stripe', async () => {
    const client = stripe();
    const missing = await caught(client.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams));
    expect(missing).toMatchObject({ statusCode: 400, param: 'amount', code: 'parameter_missing' });
    expect(await caught(client.paymentIntents.create({ amount: 0, currency: 'usd' }))).toMatchObject({ param: 'amount' });
    expect(await caught(client.paymentIntents.create({ amount: 10, currency: 'usd' }))).toMatchObject({ code: 'amount_too_small', param: 'amount' });
    expect(await caught(client.paymentIntents.create({ amount: 37961, currency: 'kwd' }))).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      code: 'invalid_charge_amount',
      param: 'amount',
    });
    expect(await caught(client.paymentIntents.create({ amount: 1708671, currency: 'isk' }))).toMatchObject({
      code: 'invalid_charge_amount',
      param: 'amount',
      message: expect.stringContaining('evenly divisible by 100'),
    });
    expect(await caught(client.paymentIntents.create({ amount: 29, currency: 'gbp' }))).toMatchObject({
      code: 'amount_too_small',
      message: 'Amount must be at least £0.30 gbp',
    });
    expect(await caught(client.paymentIntents.create({ amount: 17499, currency: 'huf' }))).toMatchObject({ code: 'amount_too_small', param: 'amount' });
    expect(await caught(client.paymentIntents.create({ amount: 100, currency: 'kwd' }))).toMatchObject({
      code: 'amount_too_small',
      message: expect.stringContaining('must convert to at least 50 cents'),
    });
    expect((await client.paymentIntents.create({ amount: 37960, currency: 'kwd' })).amount).toBe(37960);
    expect((await client.paymentIntents.create({ amount: 1708600, currency: 'isk' })).amount).toBe(1708600);
    expect(await caught(client.paymentIntents.create({ amount: 1000, currency: 'usd', bogus: 1 } as Stripe.PaymentIntentCreateParams))).toMatchObject({
      code: 'parameter_unknown',
      param: 'bogus',
    });
    expect(await caught(client.paymentIntents.create({ amount: 1000, currency: 'usd', customer: 'cus_missing' }))).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'customer',
    });
    const noDestination = await caught(client.paymentIntents.create({ amount: 1000, currency: 'usd', transfer_data: { destination: 'acct_missing' } }));
    expect(noDestination).toMatchObject({ statusCode: 400, param: 'transfer_data[destination]' });
    const pending = await client.accounts.create({ type: 'express' });
    const notOnboarded = await caught(client.paymentIntents.create({ amount: 1000, currency: 'usd', transfer_data: { destination: pending.id } }));
    expect(notOnboarded).toMatchObject({ code: 'insufficient_capabilities_for_transfer', param: 'transfer_data[destination]' });
    const notFound = await caught(client.paymentIntents.retrieve('pi_missing'));
    expect(notFound).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('connect accounts', () => {
  it('creates an express account and an onboarding link; onboarding enables it', async () => {
    const client = stripe();
    const account = await client.accounts.create({
      type: 'express',
      country: 'US',
      email: 'partner@example.com',
      metadata: { partnerId: 'p_42' },
      capabilities: { transfers: { requested: true } },
    });
    expect(account).toMatchObject({
      object: 'account',
      type: 'express',
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      metadata: { partnerId: 'p_42' },
      capabilities: { transfers: 'inactive' },
    });
    expect(account.id).toMatch(/^acct_/);

    const link = await client.accountLinks.create({
      account: account.id,
      refresh_url: 'https://app.test/refresh',
      return_url: 'https://app.test/return',
      type: 'account_onboarding',
    });
    expect(link.object).toBe('account_link');
    expect(link.url.startsWith(`${emulator.url}/connect/onboarding/${account.id}/`)).toBe(true);
    expect(link.expires_at).toBeGreaterThan(link.created);

    const visit = await fetch(link.url, { redirect: 'manual' });
    expect(visit.status).toBe(302);
    expect(visit.headers.get('location')).toBe('https://app.test/return');
    expect((await fetch(link.url, { redirect: 'manual' })).headers.get('location')).toBe('https://app.test/refresh');

    const onboarded = await client.accounts.retrieve(account.id);
    expect(onboarded).toMatchObject({ charges_enabled: true, payouts_enabled: true, details_submitted: true, capabilities: { transfers: 'active' } });
    const events = await client.events.list({ type: 'account.updated' }, { stripeAccount: account.id });
    expect(events.data[0]).toMatchObject({
      account: account.id,
      data: { object: { id: account.id, charges_enabled: true }, previous_attributes: { charges_enabled: false } },
    });
  });

  it('completeAccountOnboarding returns the account.updated event', async () => {
    const account = await stripe().accounts.create({ type: 'express' });
    const event = emulator.completeAccountOnboarding(account.id);
    expect(event).toMatchObject({
      type: 'account.updated',
      object: 'event',
      account: account.id,
      data: { object: { charges_enabled: true, payouts_enabled: true, details_submitted: true } },
    });
  });

  it('validates account links', async () => {
    const err = await caught(
      stripe().accountLinks.create({ account: 'acct_missing', refresh_url: 'https://a', return_url: 'https://b', type: 'account_onboarding' }),
    );
    expect(err).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'account' });
  });
});

describe('setup intents', () => {
  it('saves a card for off-session use through succeedSetupIntent', async () => {
    const client = stripe();
    const customer = await client.customers.create({ email: 'saver@example.com' });
    const intent = await client.setupIntents.create({ customer: customer.id, usage: 'off_session', allowed_payment_method_types: ['card'] });
    expect(intent).toMatchObject({
      object: 'setup_intent',
      status: 'requires_payment_method',
      usage: 'off_session',
      customer: customer.id,
      payment_method_types: ['card'],
    });
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));

    const event = emulator.succeedSetupIntent(intent.id, 'pm_card_mastercard');
    expect(event.type).toBe('setup_intent.succeeded');
    const pmId = event.data.object.payment_method as string;
    expect((await client.setupIntents.retrieve(intent.id)).status).toBe('succeeded');
    const pm = await client.paymentMethods.retrieve(pmId);
    expect(pm).toMatchObject({ object: 'payment_method', type: 'card', customer: customer.id, card: { brand: 'mastercard', last4: '4444' } });

    const charge = await client.paymentIntents.create({
      amount: 1200,
      currency: 'usd',
      customer: customer.id,
      payment_method: pmId,
      confirm: true,
      allowed_payment_method_types: ['card'],
      off_session: true,
    });
    expect(charge.status).toBe('succeeded');
    expect(() => emulator.succeedSetupIntent(intent.id)).toThrow(/succeeded/);
  });

  it('refuses payment_method_types from 2026-09-30 on (payment_method_types_no_longer_supported); older versions accept it', async () => {
    const legacy = { payment_method_types: ['card'] } as Stripe.SetupIntentCreateParams;
    expect(await caught(stripe().setupIntents.create(legacy))).toMatchObject({
      statusCode: 400,
      code: 'payment_method_types_no_longer_supported',
      param: 'payment_method_types',
    });
    const old = stripe({ apiVersion: '2025-08-27.basil' as Stripe.StripeConfig['apiVersion'] });
    await expect(old.setupIntents.create(legacy)).resolves.toMatchObject({ payment_method_types: ['card'], automatic_payment_methods: null });
    expect(await caught(old.setupIntents.create({ allowed_payment_method_types: ['card'] }))).toMatchObject({
      code: 'parameter_unknown',
      param: 'allowed_payment_method_types',
    });
  });

  it('materialises test payment methods as real objects', async () => {
    const pm = await stripe().paymentMethods.retrieve('pm_card_visa');
    expect(pm).toMatchObject({ object: 'payment_method', type: 'card', customer: null, card: { brand: 'visa', last4: '4242' } });
  });

  it('cannot save a decline test card, but can save pm_card_chargeCustomerFail whose charges then fail', async () => {
    const client = stripe();
    const customer = await client.customers.create();
    const intent = await client.setupIntents.create({ customer: customer.id });
    expect(() => emulator.succeedSetupIntent(intent.id, 'pm_card_chargeDeclined')).toThrow(/declined/);
    const confirmErr = await caught(
      client.setupIntents.create({ payment_method: 'pm_card_chargeDeclined', confirm: true, allowed_payment_method_types: ['card'] }),
    );
    expect(confirmErr).toMatchObject({ statusCode: 402, code: 'card_declined', setup_intent: { status: 'requires_payment_method' } });
    const event = emulator.succeedSetupIntent(intent.id, 'pm_card_chargeCustomerFail');
    const err = await caught(
      client.paymentIntents.create({
        amount: 1200,
        currency: 'usd',
        customer: customer.id,
        payment_method: event.data.object.payment_method as string,
        confirm: true,
        allowed_payment_method_types: ['card'],
        off_session: true,
      }),
    );
    expect(err).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
  });
});

describe('events', () => {
  it('lists newest first with limit, starting_after, ending_before, created and type filters', async () => {
    const account = await stripe().accounts.create({ type: 'express' });
    const client = stripe({ stripeAccount: account.id });
    const base = 1_700_000_000;
    const ids = [0, 1, 2, 3, 4].map(
      (i) => emulator.recordEvent(i % 2 ? 'invoice.paid' : 'charge.refunded', { id: `obj_${i}` }, { account: account.id, created: base + i * 10 }).id,
    );

    const page1 = await client.events.list({ limit: 2 });
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/events' });
    expect(page1.data.map((e) => e.id)).toEqual([ids[4], ids[3]]);
    const page2 = await client.events.list({ limit: 2, starting_after: ids[3] });
    expect(page2.data.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    const last = await client.events.list({ limit: 2, starting_after: ids[1] });
    expect(last).toMatchObject({ has_more: false });
    expect(last.data.map((e) => e.id)).toEqual([ids[0]]);
    const before = await client.events.list({ limit: 2, ending_before: ids[1] });
    expect(before.data.map((e) => e.id)).toEqual([ids[3], ids[2]]);

    const recent = await client.events.list({ created: { gte: base + 20 } });
    expect(recent.data.map((e) => e.id)).toEqual([ids[4], ids[3], ids[2]]);
    const window = await client.events.list({ created: { gt: base, lt: base + 40 } });
    expect(window.data.map((e) => e.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect((await client.events.list({ type: 'invoice.*' })).data.map((e) => e.id)).toEqual([ids[3], ids[1]]);
    expect((await client.events.list({ types: ['charge.refunded'] })).data.map((e) => e.id)).toEqual([ids[4], ids[2], ids[0]]);
    expect((await client.events.list({ limit: 1 }).autoPagingToArray({ limit: 10 })).map((e) => e.id)).toEqual([...ids].reverse());

    const one = await client.events.retrieve(ids[2]);
    expect(one).toMatchObject({ id: ids[2], object: 'event', account: account.id, type: 'charge.refunded', data: { object: { id: 'obj_2' } } });
    expect((await stripe().events.list({ limit: 100 })).data.some((e) => ids.includes(e.id))).toBe(false);
    expect(await caught(stripe().events.retrieve(ids[2]))).toMatchObject({ statusCode: 404 });
  });
});

describe('webhooks', () => {
  it('signs payloads so that the real SDK verifies them', () => {
    const secret = 'whsec_test_secret';
    const event = builders.invoicePaid({ customer: 'cus_1', email: 'buyer@example.com', amount: 4200, tax: 420 });
    const payload = JSON.stringify(event);
    const header = signWebhookPayload(payload, secret);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const verified = Stripe.webhooks.constructEvent(payload, header, secret);
    expect(verified).toMatchObject({ id: event.id, type: 'invoice.paid', data: { object: { amount_paid: 4200, customer_email: 'buyer@example.com' } } });
    expect(() => Stripe.webhooks.constructEvent(payload.replace('4200', '4201'), header, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const stale = signWebhookPayload(payload, secret, Math.floor(Date.now() / 1000) - 3600);
    expect(() => Stripe.webhooks.constructEvent(payload, stale, secret)).toThrow(/tolerance/);
  });

  it('builds realistic event payloads', () => {
    const invoice = builders.invoicePaid({ amount: 1000, tax: 100, currency: 'EUR' }).data.object;
    expect(invoice).toMatchObject({
      object: 'invoice',
      status: 'paid',
      amount_paid: 1000,
      amount_due: 1000,
      total: 1000,
      subtotal: 900,
      currency: 'eur',
      total_taxes: [{ amount: 100 }],
    });
    expect(invoice).not.toHaveProperty('tax');
    expect(invoice.id).toMatch(/^in_/);
    expect(invoice.status_transitions.paid_at).toBe(invoice.created);
    expect(builders.invoicePaid().data.object).toMatchObject({ total_taxes: [] });

    const refunded = builders.chargeRefunded({ amount: 3000, amountRefunded: 1000 });
    expect(refunded.data.object).toMatchObject({
      object: 'charge',
      amount_refunded: 1000,
      refunded: false,
      refunds: { data: [{ object: 'refund', amount: 1000 }] },
    });
    expect(builders.chargeSucceeded({ email: 'x@y.z', invoice: 'in_1', apiVersion: PRE_BASIL_API_VERSION }).data.object).toMatchObject({
      status: 'succeeded',
      paid: true,
      billing_details: { email: 'x@y.z' },
      receipt_email: 'x@y.z',
      invoice: 'in_1',
    });
    expect(builders.disputeClosed({ status: 'won' }).data.object).toMatchObject({ object: 'dispute', status: 'won' });
    expect(builders.checkoutSessionCompleted({ clientReferenceId: 'ref_1', email: 'c@d.e' }).data.object).toMatchObject({
      object: 'checkout.session',
      client_reference_id: 'ref_1',
      customer_details: { email: 'c@d.e' },
      mode: 'subscription',
      payment_status: 'paid',
    });
    const failed = builders.paymentIntentPaymentFailed({ declineCode: 'insufficient_funds' });
    expect(failed).toMatchObject({ type: 'payment_intent.payment_failed', livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null } });
    expect(failed.data.object).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', type: 'card_error' },
    });
    expect(builders.accountUpdated().account).toMatch(/^acct_/);
  });
});
