import { streamKey } from '../../../libs/event-store/stream-name.js';
/** A verified Stripe event, stored before anything is done with it; the stream's existence makes delivery idempotent. */
export const stripeEventStream = (companyId: string, eventId: string) => `stripeevent-${companyId}-${streamKey(eventId)}`;

export type StripeEventSource = 'webhook' | 'reconcile';

/** A Stripe event's JSON as stored: untrusted (a company signs its own webhooks), read only through stripe-mapping.ts. */
export type StripeEventJson = { id: string; type: string } & Record<string, unknown>;

/** Whether `v` is a JSON object (not null, not an array): how a Stripe object from the SDK is read as untrusted JSON. */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export type StripeEventReceived = {
  type: 'StripeEventReceived';
  data: { companyId: string; eventId: string; eventType: string; source: StripeEventSource; event: Record<string, unknown> };
};

export const STRIPE_EVENT_ID = /^evt_[A-Za-z0-9_]{1,250}$/;

/** The event types attribution acts on; reconciliation lists only these. */
export const HANDLED_STRIPE_EVENTS = [
  'invoice.paid',
  'charge.succeeded',
  'charge.captured',
  'invoice_payment.paid',
  'checkout.session.completed',
  'charge.refunded',
  'charge.expired',
  'charge.dispute.closed',
] as const;

export function stripeEventReceived(companyId: string, event: StripeEventJson, source: StripeEventSource): StripeEventReceived {
  return {
    type: 'StripeEventReceived',
    data: { companyId, eventId: event.id, eventType: event.type, source, event },
  };
}
