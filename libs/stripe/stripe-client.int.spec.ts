import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startStripeEmulator, type StripeEmulator } from '../../test/stripe-emulator/index.js';
import Stripe from 'stripe';
import { createStripeClient, STRIPE_API_VERSION } from './stripe-client.js';
import { withStripeRetries } from './retry.js';
import { registry } from '../metrics/metrics.js';
import { sampleValue } from '../../test/support/prometheus-text.js';

describe('platform Stripe client against the emulator', () => {
  let emulator: StripeEmulator;
  beforeAll(async () => {
    emulator = await startStripeEmulator();
  });
  afterAll(() => emulator.close());
  afterEach(() => emulator.clearFaults());

  const customersNamed = (name: string) => emulator.objects('customers').filter((c) => c.name === name);
  const requestsNamed = (name: string) => emulator.requests.filter((r) => r.path === '/v1/customers' && r.params.name === name);

  it('reaches STRIPE_API_BASE (host, port, protocol) with the secret key and the pinned API version', async () => {
    const stripe = createStripeClient({ secretKey: 'sk_test_client', apiBase: emulator.url });
    const customer = await stripe.customers.create({ name: 'base' });
    expect(customer.id).toMatch(/^cus_/);
    expect(requestsNamed('base')[0]!.headers).toMatchObject({ authorization: 'Bearer sk_test_client', 'stripe-version': STRIPE_API_VERSION });
  });

  it('pins the version the installed SDK is typed for, so an SDK upgrade is a conscious change', () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
  });

  it('a timed-out create is retried with the same key and creates one object', async () => {
    const stripe = createStripeClient({ secretKey: 'sk_test_client', apiBase: emulator.url, timeoutMs: 300 });
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/customers', delayMs: 900, count: 1 });
    const customer = await withStripeRetries(() => stripe.customers.create({ name: 'slow' }, { idempotencyKey: 'pf-test-slow' }));
    expect(customersNamed('slow').map((c) => c.id)).toEqual([customer.id]);
    expect(requestsNamed('slow').length).toBeGreaterThan(1);
    expect(new Set(requestsNamed('slow').map((r) => r.idempotencyKey))).toEqual(new Set(['pf-test-slow']));
  });

  it('5xx responses are retried by the SDK itself (at least 2 retries)', async () => {
    const stripe = createStripeClient({ secretKey: 'sk_test_client', apiBase: emulator.url, maxNetworkRetries: 0 });
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/customers', status: 500, count: 2 });
    await stripe.customers.create({ name: 'flaky' }, { idempotencyKey: 'pf-test-flaky' });
    expect(requestsNamed('flaky')).toHaveLength(3);
    expect(customersNamed('flaky')).toHaveLength(1);
  });

  it('gives up on a card decline at once', async () => {
    const stripe = createStripeClient({ secretKey: 'sk_test_client', apiBase: emulator.url });
    const customer = await stripe.customers.create({ name: 'decline' });
    const before = emulator.requests.length;
    await expect(
      withStripeRetries(() =>
        stripe.paymentIntents.create(
          {
            amount: 1000,
            currency: 'usd',
            customer: customer.id,
            payment_method: 'pm_card_chargeDeclined',
            confirm: true,
            off_session: true,
            allowed_payment_method_types: ['card'],
          },
          { idempotencyKey: 'pf-test-decline' },
        ),
      ),
    ).rejects.toMatchObject({ type: 'StripeCardError', decline_code: 'generic_decline' });
    expect(emulator.requests.length - before).toBe(1);
  });

  it("counts each request in partnerflow_stripe_requests_total by operation (ids as :id) and final outcome (after the SDK's retries), and times it", async () => {
    const stripe = createStripeClient({ secretKey: 'sk_test_client', apiBase: emulator.url });
    const count = async (operation: string, outcome: string) =>
      sampleValue(await registry.metrics(), 'partnerflow_stripe_requests_total', { operation, outcome });
    const timed = async () => sampleValue(await registry.metrics(), 'partnerflow_stripe_request_duration_seconds_count');
    const now = async () => ({
      created: await count('POST /v1/customers', 'ok'),
      failed: await count('POST /v1/customers', 'server_error'),
      read: await count('GET /v1/customers/:id', 'ok'),
      missing: await count('GET /v1/customers/:id', 'client_error'),
      timed: await timed(),
    });
    const before = await now();
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/customers', status: 500, count: 1 });
    const customer = await stripe.customers.create({ name: 'counted' }, { idempotencyKey: 'pf-test-counted' });
    await stripe.customers.retrieve(customer.id);
    await expect(stripe.customers.retrieve('cus_DoesNotExist1')).rejects.toMatchObject({ statusCode: 404 });
    emulator.injectFault({ method: 'POST', pathPrefix: '/v1/customers', status: 500, count: 3 });
    await expect(stripe.customers.create({ name: 'down' }, { idempotencyKey: 'pf-test-down' })).rejects.toMatchObject({ statusCode: 500 });
    expect(await now()).toEqual({
      created: before.created + 1,
      failed: before.failed + 1,
      read: before.read + 1,
      missing: before.missing + 1,
      timed: before.timed + 4,
    });
  });
});
