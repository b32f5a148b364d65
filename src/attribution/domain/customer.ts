import type { Event } from '../../../libs/event-store/event-store.port.js';
import type { LinkMethod } from './lead.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/**
 * One stream per (company, Stripe customer). Its CustomerClaimed is the uniqueness guard of the link
 * (appended at the version read, so two claims can never both commit), and its CustomerPaymentRecorded
 * events list the customer's payments, so a link and a payment recorded at the same time always see
 * each other: whichever commits second re-reads the first.
 */
export const customerStream = (companyId: string, customerId: string) => `customer-${companyId}-${streamKey(customerId)}`;

export type CustomerClaimed = { type: 'CustomerClaimed'; data: { companyId: string; customerId: string; leadId: string; method: LinkMethod } };
export type CustomerPaymentRecorded = { type: 'CustomerPaymentRecorded'; data: { companyId: string; customerId: string; paymentId: string } };
/**
 * What a `customer.created` / `customer.updated` event said of the customer's metadata `partnerflow: "false"` (SPEC §11),
 * for companies without an API key to read it when a payment arrives. `created`: the Stripe event's time; an older one
 * arriving later changes nothing.
 */
export type CustomerExclusionSeen = {
  type: 'CustomerExclusionSeen';
  data: { companyId: string; customerId: string; excluded: boolean; created: number; stripeEventId: string };
};
export type CustomerEvent = CustomerClaimed | CustomerPaymentRecorded | CustomerExclusionSeen;

export interface CustomerState {
  claim: { leadId: string; method: LinkMethod | null } | null;
  paymentIds: string[];
  /** The latest customer event's word on `partnerflow: "false"`; null when no customer event was seen. */
  exclusion: { excluded: boolean; created: number; stripeEventId: string } | null;
}

export const initialCustomer: CustomerState = { claim: null, paymentIds: [], exclusion: null };

/** Records a customer event's metadata when it is newer than what the stream knows and says something else. */
export function decideCustomerExclusion(state: CustomerState, seen: CustomerExclusionSeen['data']): CustomerExclusionSeen[] {
  const known = state.exclusion;
  if (known && (seen.created < known.created || known.excluded === seen.excluded)) return [];
  return [{ type: 'CustomerExclusionSeen', data: seen }];
}

const isCustomerEvent = isEventOf<CustomerEvent>()('CustomerClaimed', 'CustomerPaymentRecorded', 'CustomerExclusionSeen');

export function evolveCustomer(state: CustomerState, e: Event): CustomerState {
  if (!isCustomerEvent(e)) return state;
  switch (e.type) {
    case 'CustomerClaimed':
      return state.claim ? state : { ...state, claim: { leadId: e.data.leadId, method: e.data.method ?? null } };
    case 'CustomerPaymentRecorded':
      return state.paymentIds.includes(e.data.paymentId) ? state : { ...state, paymentIds: [...state.paymentIds, e.data.paymentId] };
    case 'CustomerExclusionSeen':
      return state.exclusion && e.data.created < state.exclusion.created
        ? state
        : { ...state, exclusion: { excluded: e.data.excluded, created: e.data.created, stripeEventId: e.data.stripeEventId } };
    default:
      return state;
  }
}
