import type { StreamAppend, Event } from '../../../libs/event-store/event-store.port.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/**
 * One stream per (company, payment intent) of a Checkout Session without a customer (`payment` mode,
 * `customer_creation: if_required`): no customer id will ever name the buyer, so the session's `client_reference_id`
 * names the lead of its payment intent instead. Like the customer stream, its claim is appended at the version read
 * and its CheckoutPaymentRecorded events list the payments of that intent, so a session and its payment always see
 * each other, whichever comes first.
 */
export const checkoutPaymentStream = (companyId: string, paymentIntentId: string) => `checkoutpayment-${companyId}-${streamKey(paymentIntentId)}`;

/**
 * `method`: what named the lead, the session's client_reference_id or its promotion code (absent: client_reference_id);
 * `partnerId`: the lead's partner (absent on claims made before the funnel counted guest buyers).
 */
export type CheckoutPaymentClaimed = {
  type: 'CheckoutPaymentClaimed';
  data: { companyId: string; paymentIntentId: string; sessionId: string; leadId: string; email: string | null; method?: CheckoutMethod; partnerId?: string };
};
export type CheckoutMethod = 'client_reference_id' | 'promotion_code';
export type CheckoutPaymentRecorded = { type: 'CheckoutPaymentRecorded'; data: { companyId: string; paymentIntentId: string; paymentId: string } };
export type CheckoutPaymentEvent = CheckoutPaymentClaimed | CheckoutPaymentRecorded;

export interface CheckoutPaymentState {
  claim: { leadId: string; sessionId: string; method?: CheckoutMethod } | null;
  paymentIds: string[];
}

export const initialCheckoutPayment: CheckoutPaymentState = { claim: null, paymentIds: [] };

const isCheckoutPaymentEvent = isEventOf<CheckoutPaymentEvent>()('CheckoutPaymentClaimed', 'CheckoutPaymentRecorded');

export function evolveCheckoutPayment(state: CheckoutPaymentState, e: Event): CheckoutPaymentState {
  if (!isCheckoutPaymentEvent(e)) return state;
  switch (e.type) {
    case 'CheckoutPaymentClaimed':
      return state.claim ? state : { ...state, claim: { leadId: e.data.leadId, sessionId: e.data.sessionId, ...(e.data.method && { method: e.data.method }) } };
    case 'CheckoutPaymentRecorded':
      return state.paymentIds.includes(e.data.paymentId) ? state : { ...state, paymentIds: [...state.paymentIds, e.data.paymentId] };
    default:
      return state;
  }
}

export type CheckoutClaimDecision = { taken: true; holder: string } | { taken: false; also: StreamAppend[] };

/** The first session's lead keeps the payment intent (a redelivered session claims nothing new). */
export function decideCheckoutClaim(current: { state: CheckoutPaymentState; version: number }, claim: CheckoutPaymentClaimed['data']): CheckoutClaimDecision {
  const held = current.state.claim;
  if (held) return held.leadId === claim.leadId ? { taken: false, also: [] } : { taken: true, holder: held.leadId };
  return {
    taken: false,
    also: [
      {
        streamId: checkoutPaymentStream(claim.companyId, claim.paymentIntentId),
        events: [{ type: 'CheckoutPaymentClaimed', data: claim }],
        expectedVersion: current.version,
      },
    ],
  };
}
