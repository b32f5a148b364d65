import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';

export const leadStream = (companyId: string, leadId: string) => `lead-${companyId}-${leadId}`;
/** One stream per (company, Stripe customer): its existence is the uniqueness guard, not a read-model check. */
export const customerStream = (companyId: string, customerId: string) => `customer-${companyId}-${customerId}`;

export type LinkMethod = 'manual' | 'email' | 'client_reference_id' | 'created';

export type LeadCreated = { type: 'LeadCreated'; data: { leadId: string; companyId: string; partnerId: string; email: string; name: string | null } };
export type LeadCustomerLinked = { type: 'LeadCustomerLinked'; data: { leadId: string; companyId: string; partnerId: string; customerId: string; method: LinkMethod } };
export type CustomerClaimed = { type: 'CustomerClaimed'; data: { companyId: string; customerId: string; leadId: string } };
export type LeadEvent = LeadCreated | LeadCustomerLinked;

export interface LeadState {
  exists: boolean;
  partnerId: string;
  email: string;
  customerId: string | null;
}

export const initialLead: LeadState = { exists: false, partnerId: '', email: '', customerId: null };

export function evolveLead(state: LeadState, event: RecordedEvent): LeadState {
  const e = event as unknown as LeadEvent;
  switch (e.type) {
    case 'LeadCreated':
      return { exists: true, partnerId: e.data.partnerId, email: e.data.email, customerId: null };
    case 'LeadCustomerLinked':
      return { ...state, customerId: e.data.customerId };
    default:
      return state;
  }
}

/**
 * Linking appends to the lead and claims the customer stream in one atomic append;
 * a claim that already exists (no_stream fails) means another lead holds the customer.
 */
export function decideLink(state: LeadState, ids: { leadId: string; companyId: string }, customerId: string, method: LinkMethod) {
  if (state.customerId === customerId) return { events: [], also: [] };
  const linked: LeadCustomerLinked = { type: 'LeadCustomerLinked', data: { ...ids, partnerId: state.partnerId, customerId, method } };
  const claim: CustomerClaimed = { type: 'CustomerClaimed', data: { companyId: ids.companyId, customerId, leadId: ids.leadId } };
  return { events: [linked], also: [{ streamId: customerStream(ids.companyId, customerId), events: [claim], expectedVersion: 'no_stream' as const }] };
}
