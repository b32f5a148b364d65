import type { AddressInfo } from 'node:net';
import { recordEvent } from './events.js';
import { addFault } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { completeAccountOnboarding } from './resources/accounts.js';
import { succeedSetupIntent } from './resources/setup-intents.js';
import { createEmulatorServer, Sleeper } from './server.js';
import { EmulatorState, PLATFORM } from './state.js';
import type { FaultSpec, ObjectKind, RecordedRequest, StripeEvent } from './types.js';

export { builders, makeEvent, DEFAULT_API_VERSION, type EventOptions } from './events.js';
export { invoicePaymentObject, invoiceObject, type InvoicePaymentInit } from './objects/billing.js';
export { discountObject, promotionCodeObject, type DiscountInit } from './objects/discounts.js';
export { signWebhookPayload } from './signature.js';
export { TEST_CARDS } from './test-cards.js';
export type { FaultSpec, ObjectKind, RecordedRequest, StripeEvent } from './types.js';

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
}

export async function startStripeEmulator(opts: { port?: number; host?: string } = {}): Promise<StripeEmulator> {
  const host = opts.host ?? '127.0.0.1';
  let url = '';
  const state = new EmulatorState(new IdempotencyStore(), () => url);
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
    recordEvent: (type, object, o = {}) =>
      recordEvent(state, o.account ?? PLATFORM, type, object, { eventId: o.id, created: o.created }),
    objects: (kind) => [...state.table(kind).values()],
    putObject: (kind, object, account) => void state.put(kind, object, account ?? PLATFORM),
    succeedSetupIntent: (id, paymentMethod) => succeedSetupIntent(state, id, paymentMethod),
    completeAccountOnboarding: (id) => completeAccountOnboarding(state, id),
  };
}
