import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { bankAccountPaymentMethodObject, builders, startStripeEmulator, type StripeEmulator } from './index.js';

/** What Stripe refuses, the emulator refuses: the cases an app confirming server-side and creating Express accounts meets. */
let emulator: StripeEmulator;
const stripe = (apiVersion?: string) =>
  new Stripe('sk_test_strict', {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    ...(apiVersion ? { apiVersion: apiVersion as Stripe.StripeConfig['apiVersion'] } : {}),
  });

async function caught(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startStripeEmulator({ platformCountry: 'GB' });
});
afterAll(() => emulator.close());

const RETURN_URL_MESSAGE =
  "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.";

describe('server-side confirmation', () => {
  const base = { amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, off_session: true };

  it('refuses a confirmed PaymentIntent with dynamic payment methods (the default) and no return_url, as Stripe does', async () => {
    const err = await caught(stripe().paymentIntents.create(base));
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 400, message: RETURN_URL_MESSAGE, code: undefined, param: undefined });
    expect(err.raw.payment_intent).toMatchObject({
      status: 'requires_confirmation',
      automatic_payment_methods: { enabled: true, allow_redirects: 'always' },
      payment_method_types: ['card', 'link'],
    });
    expect(emulator.objects('payment_intents').find((pi) => pi.id === err.raw.payment_intent.id)).toMatchObject({ status: 'requires_confirmation' });
  });

  it('refuses it on /confirm too, and on a SetupIntent', async () => {
    const intent = await stripe().paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa' });
    expect(await caught(stripe().paymentIntents.confirm(intent.id, { off_session: true }))).toMatchObject({ statusCode: 400, message: RETURN_URL_MESSAGE });
    const setup = await caught(stripe().setupIntents.create({ payment_method: 'pm_card_visa', confirm: true, usage: 'off_session' }));
    expect(setup).toMatchObject({ statusCode: 400, message: RETURN_URL_MESSAGE.replace('This PaymentIntent', 'This SetupIntent') });
    expect(setup.raw.setup_intent).toMatchObject({ status: 'requires_confirmation' });
  });

  it.each([
    ['limited to cards', { allowed_payment_method_types: ['card'] }],
    ['dynamic payment methods without redirects', { automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } }],
    ['a return_url', { return_url: 'https://app.test/back' }],
  ])('confirms with %s', async (_label, extra) => {
    await expect(stripe().paymentIntents.create({ ...base, ...extra })).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('allows no return_url before 2023-08-16, when intents had no dynamic payment methods by default', async () => {
    await expect(stripe('2023-08-15' as string).paymentIntents.create(base)).resolves.toMatchObject({ status: 'succeeded', automatic_payment_methods: null });
  });

  it('refuses payment_method_types on this version, and two ways of choosing at once', async () => {
    expect(await caught(stripe().paymentIntents.create({ ...base, payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams))).toMatchObject({
      code: 'payment_method_types_no_longer_supported',
      param: 'payment_method_types',
    });
    expect(
      await caught(stripe().paymentIntents.create({ ...base, allowed_payment_method_types: ['card'], automatic_payment_methods: { enabled: true } })),
    ).toMatchObject({ code: 'parameters_exclusive', param: 'automatic_payment_methods' });
  });

  it('refuses a payment method the intent does not accept', async () => {
    const customer = await stripe().customers.create();
    emulator.putObject('payment_methods', bankAccountPaymentMethodObject({ id: 'pm_1StrictBank', customer: customer.id }));
    const err = await caught(
      stripe().paymentIntents.create({ ...base, customer: customer.id, payment_method: 'pm_1StrictBank', allowed_payment_method_types: ['card'] }),
    );
    expect(err).toMatchObject({ statusCode: 400, param: 'payment_method', code: 'payment_intent_incompatible_payment_method' });
    const setup = await stripe().setupIntents.create({ customer: customer.id, allowed_payment_method_types: ['card'] });
    expect(() => emulator.succeedSetupIntent(setup.id, 'pm_1StrictBank')).toThrow(/accepts card, not a us_bank_account/);
  });

  it('never transfers more than it charges', async () => {
    const account = await stripe().accounts.create({
      controller: { fees: { payer: 'application' }, losses: { payments: 'application' }, stripe_dashboard: { type: 'express' } },
      capabilities: { transfers: { requested: true } },
    });
    emulator.completeAccountOnboarding(account.id);
    const over = await caught(
      stripe().paymentIntents.create({ ...base, allowed_payment_method_types: ['card'], transfer_data: { destination: account.id, amount: 2001 } }),
    );
    expect(over).toMatchObject({ statusCode: 400, param: 'transfer_data[amount]' });
    const pi = await stripe().paymentIntents.create({
      ...base,
      allowed_payment_method_types: ['card'],
      transfer_data: { destination: account.id, amount: 1900 },
      expand: ['latest_charge'],
    });
    expect(pi).toMatchObject({
      amount: 2000,
      transfer_data: { amount: 1900, destination: account.id },
      latest_charge: { transfer_data: { amount: 1900, destination: account.id } },
    });
  });
});

describe('connected accounts', () => {
  const express = {
    fees: { payer: 'application' as const },
    losses: { payments: 'application' as const },
    requirement_collection: 'stripe' as const,
    stripe_dashboard: { type: 'express' as const },
  };

  it('maps type express to its controller properties; controller properties give type none and fees paid by the application', async () => {
    const typed = await stripe().accounts.create({ type: 'express' });
    expect(typed).toMatchObject({
      type: 'express',
      controller: {
        fees: { payer: 'application_express' },
        losses: { payments: 'application' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'express' },
        is_controller: true,
        type: 'application',
      },
    });
    const controlled = await stripe().accounts.create({ controller: express, capabilities: { transfers: { requested: true } } });
    expect(controlled).toMatchObject({
      type: 'none',
      country: 'GB',
      controller: { ...express, is_controller: true, type: 'application' },
      capabilities: { transfers: 'inactive' },
    });
    expect(Object.keys(controlled.capabilities!)).toEqual(['transfers']);
  });

  it('refuses type with controller, an Express dashboard the platform does not bear losses for, recipient with card_payments', async () => {
    expect(await caught(stripe().accounts.create({ type: 'express', controller: express }))).toMatchObject({ statusCode: 400, code: 'parameters_exclusive' });
    expect(await caught(stripe().accounts.create({ controller: { ...express, losses: { payments: 'stripe' } } }))).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('stripe_dashboard[type]=express'),
    });
    const recipient = { controller: express, country: 'US', tos_acceptance: { service_agreement: 'recipient' } };
    expect(
      await caught(stripe().accounts.create({ ...recipient, capabilities: { card_payments: { requested: true }, transfers: { requested: true } } })),
    ).toMatchObject({ statusCode: 400, param: 'capabilities[card_payments]' });
    expect(
      await caught(
        stripe().accounts.create({ ...recipient, controller: { stripe_dashboard: { type: 'full' } }, capabilities: { transfers: { requested: true } } }),
      ),
    ).toMatchObject({ statusCode: 400, param: 'tos_acceptance[service_agreement]' });
    await expect(stripe().accounts.create({ ...recipient, capabilities: { transfers: { requested: true } } })).resolves.toMatchObject({
      country: 'US',
      tos_acceptance: { service_agreement: 'recipient' },
    });
  });

  it('answers the platform account on GET /v1/account', async () => {
    await expect(stripe().accounts.retrieveCurrent()).resolves.toMatchObject({ object: 'account', country: 'GB', controller: { type: 'account' } });
  });
});

describe('webhook endpoints', () => {
  let receiver: Server;
  const received: { path: string; signature: string; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', signature: String(req.headers['stripe-signature']), body });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  });
  afterAll(() => new Promise<void>((ok) => receiver.close(() => ok())));

  it('delivers a connected account’s event only to Connect endpoints and the platform’s own only to account endpoints, each signed with its own secret', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const platform = emulator.addWebhookEndpoint({ url: `${url}/platform`, enabledEvents: ['setup_intent.succeeded', 'account.updated'] });
    const connect = emulator.addWebhookEndpoint({ url: `${url}/connect`, connect: true, enabledEvents: ['account.updated'] });
    expect(platform.secret).not.toBe(connect.secret);

    const accountEvent = builders.accountUpdated();
    const own = builders.setupIntentSucceeded();
    expect((await emulator.deliver(accountEvent)).map((d) => [d.url, d.status])).toEqual([[`${url}/connect`, 200]]);
    expect((await emulator.deliver(own)).map((d) => d.url)).toEqual([`${url}/platform`]);
    expect(await emulator.deliver(builders.paymentIntentSucceeded())).toEqual([]);

    const [toConnect, toPlatform] = received.slice(-2);
    expect(Stripe.webhooks.constructEvent(toConnect!.body, toConnect!.signature, connect.secret)).toMatchObject({
      id: accountEvent.id,
      account: accountEvent.account,
    });
    expect(() => Stripe.webhooks.constructEvent(toConnect!.body, toConnect!.signature, platform.secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(Stripe.webhooks.constructEvent(toPlatform!.body, toPlatform!.signature, platform.secret)).toMatchObject({ id: own.id });
  });
});

describe('checkout sessions', () => {
  it('a payment-mode session may have no customer: the buyer is only in customer_details', () => {
    const session = builders.checkoutSessionCompleted({ mode: 'payment', customer: null, email: 'guest@buyer.test', paymentIntent: 'pi_1Guest' }).data.object;
    expect(session).toMatchObject({
      mode: 'payment',
      customer: null,
      customer_creation: 'if_required',
      customer_details: { email: 'guest@buyer.test' },
      payment_intent: 'pi_1Guest',
      invoice: null,
    });
  });
});
