import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { LinkMethod } from './lead.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';

/**
 * One stream per (company, Stripe customer). Its CustomerClaimed is the uniqueness guard of the link
 * (appended at the version read, so two claims can never both commit), and its CustomerPaymentRecorded
 * events list the customer's payments, so a link and a payment recorded at the same time always see
 * each other: whichever commits second re-reads the first.
 */
export const customerStream = (companyId: string, customerId: string) => `customer-${companyId}-${streamKey(customerId)}`;

export type CustomerClaimed = { type: 'CustomerClaimed'; data: { companyId: string; customerId: string; leadId: string; method: LinkMethod } };
export type CustomerPaymentRecorded = { type: 'CustomerPaymentRecorded'; data: { companyId: string; customerId: string; paymentId: string } };
export type CustomerEvent = CustomerClaimed | CustomerPaymentRecorded;

export interface CustomerState {
  claim: { leadId: string; method: LinkMethod | null } | null;
  paymentIds: string[];
}

export const initialCustomer: CustomerState = { claim: null, paymentIds: [] };

export function evolveCustomer(state: CustomerState, event: RecordedEvent): CustomerState {
  const e = event as unknown as CustomerEvent;
  switch (e.type) {
    case 'CustomerClaimed':
      return state.claim ? state : { ...state, claim: { leadId: e.data.leadId, method: e.data.method ?? null } };
    case 'CustomerPaymentRecorded':
      return state.paymentIds.includes(e.data.paymentId) ? state : { ...state, paymentIds: [...state.paymentIds, e.data.paymentId] };
    default:
      return state;
  }
}
