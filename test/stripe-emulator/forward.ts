import { signWebhookPayload } from './signature.js';
import { PLATFORM, type EmulatorState } from './state.js';
import type { StripeEvent } from './types.js';

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export interface ForwardedDelivery {
  eventId: string;
  type: string;
  url: string;
  status: number | null;
  attempts: number;
}

export interface Forwarding {
  /** One entry per event, updated as it is delivered. */
  deliveries: ForwardedDelivery[];
  /** Resolves when every event recorded so far has been delivered (or given up on). */
  idle(): Promise<void>;
  stop(): void;
}

const ATTEMPTS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers the events the emulator records to webhook endpoints, signed as Stripe signs them, one at a
 * time in order, as `stripe listen --forward-to` does: the platform's own events to `platform`, connected
 * accounts' events to `connect` (Stripe never sends a Connect event to an account endpoint). A failed delivery is
 * retried a few times, quickly; Stripe would keep trying for days.
 */
export function forwardEvents(state: EmulatorState, endpoints: { platform: WebhookEndpoint; connect: WebhookEndpoint }): Forwarding {
  const deliveries: ForwardedDelivery[] = [];
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  const listener = (event: StripeEvent, namespace: string) => {
    const endpoint = namespace === PLATFORM ? endpoints.platform : endpoints.connect;
    const delivery: ForwardedDelivery = { eventId: event.id, type: event.type, url: endpoint.url, status: null, attempts: 0 };
    deliveries.push(delivery);
    // after the API answer that caused the event has gone out, as with Stripe
    queue = queue.then(() => sleep(5)).then(() => deliver(endpoint, event, delivery, () => stopped));
  };
  state.listeners.push(listener);
  return {
    deliveries,
    idle: async () => {
      let seen: Promise<void> | undefined;
      while (seen !== queue) await (seen = queue);
    },
    stop: () => {
      stopped = true;
      state.listeners.splice(state.listeners.indexOf(listener), 1);
    },
  };
}

async function deliver(endpoint: WebhookEndpoint, event: StripeEvent, delivery: ForwardedDelivery, stopped: () => boolean): Promise<void> {
  const payload = JSON.stringify(event);
  for (let attempt = 1; attempt <= ATTEMPTS && !stopped(); attempt++) {
    delivery.attempts = attempt;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Stripe-Signature': signWebhookPayload(payload, endpoint.secret),
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
      });
      delivery.status = res.status;
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      delivery.status = null;
    }
    await sleep(50 * attempt);
  }
}
