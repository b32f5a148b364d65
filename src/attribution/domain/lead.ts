import { createHash } from 'node:crypto';
import type { StreamAppend, Event } from '../../../libs/event-store/event-store.port.js';
import { customerStream, type CustomerClaimed, type CustomerState } from './customer.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

export { customerStream } from './customer.js';
export const leadStream = (companyId: string, leadId: string) => `lead-${companyId}-${streamKey(leadId)}`;
/** The one lead of a tracked click (its signup, or its checkout): deterministic, so retries and both paths meet on it. */
export const clickLeadId = (companyId: string, clickId: string): string =>
  `ld_${createHash('sha256').update(`${companyId}:${clickId}`).digest('hex').slice(0, 32)}`;

export type LinkMethod = 'manual' | 'email' | 'client_reference_id' | 'promotion_code' | 'created';

/** `clickId`: the tracked click (`clk_…`) the lead signed up or checked out from. */
export type LeadCreated = {
  type: 'LeadCreated';
  data: { leadId: string; companyId: string; partnerId: string; email: string; name: string | null; clickId?: string };
};
export type LeadCustomerLinked = {
  type: 'LeadCustomerLinked';
  data: { leadId: string; companyId: string; partnerId: string; customerId: string; method: LinkMethod };
};
export type LeadEvent = LeadCreated | LeadCustomerLinked;

export interface LeadState {
  exists: boolean;
  partnerId: string;
  email: string;
  customerId: string | null;
}

export const initialLead: LeadState = { exists: false, partnerId: '', email: '', customerId: null };

const isLeadEvent = isEventOf<LeadEvent>()('LeadCreated', 'LeadCustomerLinked');

export function evolveLead(state: LeadState, e: Event): LeadState {
  if (!isLeadEvent(e)) return state;
  switch (e.type) {
    case 'LeadCreated':
      return { exists: true, partnerId: e.data.partnerId, email: e.data.email, customerId: null };
    case 'LeadCustomerLinked':
      return { ...state, customerId: e.data.customerId };
    default:
      return state;
  }
}

export type LinkDecision = { taken: false; events: LeadCustomerLinked[]; also: StreamAppend[] } | { taken: true; holder: string };

/**
 * Linking appends to the lead and claims the customer stream in one atomic append, at the customer
 * stream's version as read: a claim or payment committed meanwhile makes the append fail and the
 * caller decide again. A customer claimed by another lead is `taken`; the lead's earlier customers
 * stay claimed by it (their payments keep matching), the lead shows the newest.
 */
export function decideLink(
  lead: LeadState,
  ids: { leadId: string; companyId: string },
  customer: { state: CustomerState; version: number },
  customerId: string,
  method: LinkMethod,
): LinkDecision {
  const claim = customer.state.claim;
  if (claim && claim.leadId !== ids.leadId) return { taken: true, holder: claim.leadId };
  const events: LeadCustomerLinked[] =
    lead.customerId === customerId ? [] : [{ type: 'LeadCustomerLinked', data: { ...ids, partnerId: lead.partnerId, customerId, method } }];
  if (claim) return { taken: false, events, also: [] };
  const claimed: CustomerClaimed = { type: 'CustomerClaimed', data: { companyId: ids.companyId, customerId, leadId: ids.leadId, method } };
  return { taken: false, events, also: [{ streamId: customerStream(ids.companyId, customerId), events: [claimed], expectedVersion: customer.version }] };
}
