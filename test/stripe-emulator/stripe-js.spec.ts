import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';
import { verifyStripeWebhook, type VerifiedStripeEvent } from '../../libs/stripe/webhook-signature.js';

/** What the console's browser tests rest on: Stripe.js's publishable-key calls, its stand-in script, webhook forwarding. */
describe('Stripe.js stand-in and webhook forwarding', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  beforeAll(async () => {
    emulator = await startStripeEmulator();
    stripe = new Stripe('sk_test_stand_in', { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });
  });
  afterAll(() => emulator.close());

  /** A form POST as Stripe.js sends it: no Authorization, the publishable key as `key`. */
  const browserPost = (path: string, form: Record<string, string>) =>
    fetch(`${emulator.url}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { Origin: 'http://console.example' } });

  async function setupIntent() {
    const customer = await stripe.customers.create({ email: 'billing@acme.example' });
    return stripe.setupIntents.create({ customer: customer.id, usage: 'off_session', allowed_payment_method_types: ['card'] });
  }

  it('serves the stand-in at /v3/, a script that defines window.Stripe', async () => {
    const res = await fetch(emulator.stripeJsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    const source = await res.text();
    expect(source).toContain('window.Stripe = Stripe');
    expect(source).toContain('/confirm');
  });

  it('confirms a SetupIntent with the publishable key and its client secret: the card is attached, setup_intent.succeeded recorded', async () => {
    const intent = await setupIntent();
    const res = await browserPost(`/v1/setup_intents/${intent.id}/confirm`, {
      payment_method: 'pm_card_visa',
      expected_payment_method_type: 'card',
      key: 'pk_test_abc',
      client_secret: intent.client_secret!,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(body).toMatchObject({ id: intent.id, status: 'succeeded', payment_method: expect.stringMatching(/^pm_/) });
    expect((await stripe.paymentMethods.retrieve(body.payment_method)).customer).toBe(intent.customer);
    expect((await stripe.events.list({ type: 'setup_intent.succeeded' })).data.map((e) => (e.data.object as Stripe.SetupIntent).id)).toContain(intent.id);
  });

  it('refuses a wrong client secret (400 naming client_secret) and the publishable key anywhere else (401)', async () => {
    const intent = await setupIntent();
    const wrong = await browserPost(`/v1/setup_intents/${intent.id}/confirm`, {
      payment_method: 'pm_card_visa',
      key: 'pk_test_abc',
      client_secret: `${intent.id}_secret_nope`,
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toMatchObject({ type: 'invalid_request_error', param: 'client_secret' });
    expect((await stripe.setupIntents.retrieve(intent.id)).status).toBe('requires_payment_method');
    const elsewhere = await browserPost('/v1/customers', { key: 'pk_test_abc', email: 'x@y.example' });
    expect(elsewhere.status).toBe(401);
    expect((await elsewhere.json()).error.message).toContain('publishable API key');
  });

  it('a declined card answers 402 with the setup intent, as Stripe.js then reports to the page', async () => {
    const intent = await setupIntent();
    const res = await browserPost(`/v1/setup_intents/${intent.id}/confirm`, {
      payment_method: 'pm_card_chargeDeclined',
      key: 'pk_test_abc',
      client_secret: intent.client_secret!,
    });
    expect(res.status).toBe(402);
    expect((await res.json()).error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      setup_intent: { id: intent.id, status: 'requires_payment_method' },
    });
  });

  describe('forwarding events to webhook endpoints', () => {
    let receiver: Server;
    let received: { event: VerifiedStripeEvent; signature: string }[];
    let failNext = 0;
    let url = '';
    beforeAll(async () => {
      received = [];
      receiver = createServer((req: IncomingMessage, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          if (failNext > 0) {
            failNext--;
            res.writeHead(500).end();
            return;
          }
          const raw = Buffer.concat(chunks);
          const event = verifyStripeWebhook(raw, req.headers['stripe-signature'] as string, 'whsec_forward', 300);
          received.push({ event, signature: req.headers['stripe-signature'] as string });
          res.writeHead(200).end('{}');
        });
      });
      await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', () => ok()));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    afterAll(() => new Promise<void>((ok) => receiver.close(() => ok())));

    it('delivers new events signed with the endpoint secret, in order; connected accounts’ events to the Connect endpoint; retries a 500', async () => {
      const forwarding = emulator.forwardEvents({ platform: { url, secret: 'whsec_forward' }, connect: { url: `${url}?connect`, secret: 'whsec_forward' } });
      try {
        failNext = 1;
        const intent = await setupIntent();
        await browserPost(`/v1/setup_intents/${intent.id}/confirm`, {
          payment_method: 'pm_card_visa',
          key: 'pk_test_abc',
          client_secret: intent.client_secret!,
        });
        const account = await stripe.accounts.create({ type: 'express', capabilities: { transfers: { requested: true } } });
        emulator.completeAccountOnboarding(account.id);
        await forwarding.idle();
        expect(received.map((r) => r.event.type)).toEqual([
          'customer.created',
          'setup_intent.created',
          'payment_method.attached',
          'setup_intent.succeeded',
          'account.updated',
        ]);
        expect(forwarding.deliveries.map((d) => [d.type, d.status])).toEqual(received.map((r) => [r.event.type, 200]));
        expect(forwarding.deliveries[0]!.attempts).toBe(2);
        expect(forwarding.deliveries.find((d) => d.type === 'account.updated')!.url).toBe(`${url}?connect`);
        expect(received.find((r) => r.event.type === 'account.updated')!.event.account).toBe(account.id);
      } finally {
        forwarding.stop();
      }
      const before = received.length;
      await stripe.customers.create({ email: 'after@stop.example' });
      await new Promise((ok) => setTimeout(ok, 50));
      expect(received).toHaveLength(before);
    });
  });
});
