import type { RecordedEvent, StreamAppend } from '../../../libs/event-store/event-store.port.js';
import type { PartnerEvent } from '../../partners/domain/partner.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';

/** Claimed once per Stripe account: the platform webhook finds the partner of an `account.updated` here. */
export const stripeAccountStream = (accountId: string) => `stripeaccount-${streamKey(accountId)}`;

type PartnerIds = { partnerId: string; companyId: string };

/** Appended before Stripe is called, so every caller creates the account with the same key and params. */
export type PartnerStripeAccountRequested = { type: 'PartnerStripeAccountRequested'; data: PartnerIds & { idempotencyKey: string; email: string } };
export type PartnerStripeAccountCreated = { type: 'PartnerStripeAccountCreated'; data: PartnerIds & { accountId: string } };
/** From `account.updated`; `stripeEventCreated` orders out-of-order deliveries. */
export type PartnerPayoutsStatusChanged = {
  type: 'PartnerPayoutsStatusChanged';
  data: PartnerIds & { accountId: string; payoutsEnabled: boolean; chargesEnabled: boolean; detailsSubmitted: boolean; stripeEventId: string; stripeEventCreated: number };
};
export type StripeAccountClaimed = { type: 'StripeAccountClaimed'; data: PartnerIds & { accountId: string } };
export type ConnectEvent = PartnerStripeAccountRequested | PartnerStripeAccountCreated | PartnerPayoutsStatusChanged;

export interface PartnerConnectState {
  exists: boolean;
  email: string;
  request: { idempotencyKey: string; email: string } | null;
  accountId: string | null;
  status: { payoutsEnabled: boolean; chargesEnabled: boolean; detailsSubmitted: boolean; asOf: number } | null;
}

export const initialPartnerConnect: PartnerConnectState = { exists: false, email: '', request: null, accountId: null, status: null };

/** Folds the partner stream: the partner module's events for existence and email, this module's for Connect. */
export function evolvePartnerConnect(state: PartnerConnectState, event: RecordedEvent): PartnerConnectState {
  const e = event as unknown as ConnectEvent | PartnerEvent;
  switch (e.type) {
    case 'PartnerCreated':
      return { ...state, exists: true, email: e.data.email };
    case 'PartnerUpdated':
      return e.data.email === undefined ? state : { ...state, email: e.data.email };
    case 'PartnerStripeAccountRequested':
      return { ...state, request: { idempotencyKey: e.data.idempotencyKey, email: e.data.email } };
    case 'PartnerStripeAccountCreated':
      return { ...state, accountId: e.data.accountId };
    case 'PartnerPayoutsStatusChanged':
      return { ...state, status: { payoutsEnabled: e.data.payoutsEnabled, chargesEnabled: e.data.chargesEnabled, detailsSubmitted: e.data.detailsSubmitted, asOf: e.data.stripeEventCreated } };
    default:
      return state;
  }
}

export const accountIdempotencyKey = (ids: PartnerIds) => `pf-connect-account-${ids.companyId}-${ids.partnerId}`;

export function decideRequestAccount(state: PartnerConnectState, ids: PartnerIds): PartnerStripeAccountRequested[] {
  if (state.request || state.accountId) return [];
  return [{ type: 'PartnerStripeAccountRequested', data: { ...ids, idempotencyKey: accountIdempotencyKey(ids), email: state.email } }];
}

/** The first account recorded wins; the account stream claim makes one account belong to one partner. */
export function decideAccountCreated(state: PartnerConnectState, ids: PartnerIds, accountId: string): { events: PartnerStripeAccountCreated[]; also: StreamAppend[] } {
  if (state.accountId) return { events: [], also: [] };
  const claim: StripeAccountClaimed = { type: 'StripeAccountClaimed', data: { ...ids, accountId } };
  return {
    events: [{ type: 'PartnerStripeAccountCreated', data: { ...ids, accountId } }],
    also: [{ streamId: stripeAccountStream(accountId), events: [claim], expectedVersion: 'no_stream' }],
  };
}

export interface AccountStatus {
  accountId: string;
  payoutsEnabled: boolean;
  chargesEnabled: boolean;
  detailsSubmitted: boolean;
  stripeEventId: string;
  stripeEventCreated: number;
}

/** Records a change of the account's status; older (out-of-order) or unchanged deliveries change nothing. */
export function decideAccountUpdated(state: PartnerConnectState, ids: PartnerIds, status: AccountStatus): PartnerPayoutsStatusChanged[] {
  if (state.accountId !== status.accountId) return [];
  const current = state.status;
  if (current && status.stripeEventCreated < current.asOf) return [];
  const same = current && current.payoutsEnabled === status.payoutsEnabled && current.chargesEnabled === status.chargesEnabled && current.detailsSubmitted === status.detailsSubmitted;
  return same ? [] : [{ type: 'PartnerPayoutsStatusChanged', data: { ...ids, ...status } }];
}
