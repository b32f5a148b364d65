import type { AddressInfo } from 'node:net';
import { recordEvent } from './events.js';
import { addFault } from './faults.js';
import { forwardEvents, type Forwarding, type WebhookEndpoint } from './forward.js';
import { IdempotencyStore } from './idempotency.js';
import { completeAccountOnboarding } from './resources/accounts.js';
import { succeedSetupIntent } from './resources/setup-intents.js';
import { createWebhookEndpoint, deliverEvent, type Delivery, type WebhookEndpointInit } from './resources/webhook-endpoints.js';
import { createEmulatorServer, Sleeper } from './server.js';
import { EmulatorState, PLATFORM } from './state.js';
import type { FaultSpec, ObjectKind, RecordedRequest, StripeEvent } from './types.js';

export { builders, makeEvent, type EventOptions } from './events.js';
export { DEFAULT_API_VERSION, PRE_BASIL_API_VERSION, isBasilOrLater } from './versions.js';
export type { Delivery, WebhookEndpointInit } from './resources/webhook-endpoints.js';
export { invoicePaymentObject, invoiceObject, type InvoicePaymentInit } from './objects/billing.js';
export { bankAccountPaymentMethodObject } from './objects/customers.js';
export { discountObject, promotionCodeObject, type DiscountInit } from './objects/discounts.js';
export { signWebhookPayload } from './signature.js';
export { TEST_CARDS } from './test-cards.js';
export type { FaultSpec, ObjectKind, RecordedRequest, StripeEvent } from './types.js';
export type { ForwardedDelivery, Forwarding, WebhookEndpoint } from './forward.js';

export interface StripeEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  recordEvent(type: string, object: Record<string, unknown>, opts?: { account?: string; created?: number; id?: string }): StripeEvent;
  /** Live stored objects, oldest first (mutating them changes what the API returns). */
  objects(kind: ObjectKind): any[];
  /** Stores an object the API then lists and retrieves (e.g. `invoice_payments`), in the platform account unless `account` is given. */
  putObject(kind: ObjectKind, object: Record<string, any>, account?: string): void;
  succeedSetupIntent(setupIntentId: string, paymentMethod?: string): StripeEvent;
  completeAccountOnboarding(accountId: string): StripeEvent;
  /** Registers a webhook endpoint (an account endpoint, or a Connect one with `connect: true`); answers its id and secret. */
  addWebhookEndpoint(o: WebhookEndpointInit): { id: string; secret: string };
  /** Delivers an event to the registered endpoints of its kind, signed with each one's secret. */
  deliver(event: StripeEvent): Promise<Delivery[]>;
  /** Sends every event recorded from now on to webhook endpoints, signed, like `stripe listen --forward-to`. */
  forwardEvents(endpoints: { platform: WebhookEndpoint; connect: WebhookEndpoint }): Forwarding;
  /** `<script src>` of the Stripe.js stand-in (`STRIPE_JS_URL` for the console). */
  stripeJsUrl: string;
  /** Makes `key` (rk_test_…) a restricted key with only these permissions (e.g. `rak_customer_read`): other calls get Stripe's 403. */
  restrictKey(key: string, permissions: string[]): void;
}

export async function startStripeEmulator(opts: { port?: number; host?: string; platformCountry?: string } = {}): Promise<StripeEmulator> {
  const host = opts.host ?? '127.0.0.1';
  let url = '';
  const state = new EmulatorState(new IdempotencyStore(), () => url, opts.platformCountry);
  const sleeper = new Sleeper();
  const server = createEmulatorServer(state, sleeper);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host}:${port}`;

  return {
    url,
    port,
    requests: state.requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        sleeper.abortAll();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    injectFault: (fault) => addFault(state, fault),
    clearFaults: () => {
      state.faults = [];
    },
    recordEvent: (type, object, o = {}) => recordEvent(state, o.account ?? PLATFORM, type, object, { eventId: o.id, created: o.created }),
    objects: (kind) => [...state.table(kind).values()],
    putObject: (kind, object, account) => void state.put(kind, object, account ?? PLATFORM),
    succeedSetupIntent: (id, paymentMethod) => succeedSetupIntent(state, id, paymentMethod),
    completeAccountOnboarding: (id) => completeAccountOnboarding(state, id),
    addWebhookEndpoint: (o) => {
      const endpoint = createWebhookEndpoint(state, o);
      return { id: endpoint.id, secret: endpoint.secret };
    },
    deliver: (event) => deliverEvent(state, event),
    forwardEvents: (endpoints) => forwardEvents(state, endpoints),
    stripeJsUrl: `${url}/v3/`,
    restrictKey: (key, permissions) => state.restrictedKeys.restrict(key, permissions),
  };
}
