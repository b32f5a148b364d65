import type { StreamAppend, Event } from '../../../libs/event-store/event-store.port.js';
import { conflict } from '../../../libs/http/domain-error.js';
import type { PartnerEvent } from './partner.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/** Claimed once per Stripe account: the platform webhook finds the partner of an `account.updated` here. */
export const stripeAccountStream = (accountId: string) => `stripeaccount-${streamKey(accountId)}`;

type PartnerIds = { partnerId: string; companyId: string };

export type ServiceAgreement = 'full' | 'recipient';

/**
 * Appended before Stripe is called, so every caller creates the account with the same key and params. `country` and
 * `serviceAgreement` are absent from requests recorded before accounts were created with controller properties.
 */
export type PartnerStripeAccountRequested = {
  type: 'PartnerStripeAccountRequested';
  data: PartnerIds & { idempotencyKey: string; email: string; country?: string; serviceAgreement?: ServiceAgreement };
};
export type PartnerStripeAccountCreated = { type: 'PartnerStripeAccountCreated'; data: PartnerIds & { accountId: string } };
/**
 * What Stripe said of the account: an `account.updated` webhook, or `GET /v1/accounts/{id}` when the app asked
 * (`source: 'retrieve'`, `stripeEventId` null). `stripeEventCreated` is when that was true (the event's creation,
 * or the read) and orders out-of-order deliveries. `transfersActive` is absent from events recorded before it was read.
 */
export type PartnerPayoutsStatusChanged = {
  type: 'PartnerPayoutsStatusChanged';
  data: PartnerIds & {
    accountId: string;
    payoutsEnabled: boolean;
    chargesEnabled: boolean;
    detailsSubmitted: boolean;
    transfersActive?: boolean;
    source?: 'webhook' | 'retrieve';
    stripeEventId: string | null;
    stripeEventCreated: number;
  };
};
export type StripeAccountClaimed = { type: 'StripeAccountClaimed'; data: PartnerIds & { accountId: string } };
export type ConnectEvent = PartnerStripeAccountRequested | PartnerStripeAccountCreated | PartnerPayoutsStatusChanged;

export interface PartnerConnectState {
  exists: boolean;
  email: string;
  request: { idempotencyKey: string; email: string; country?: string; serviceAgreement?: ServiceAgreement } | null;
  accountId: string | null;
  /** `transfersActive` null: not known (recorded before the capability was read). */
  status: { payoutsEnabled: boolean; chargesEnabled: boolean; detailsSubmitted: boolean; transfersActive: boolean | null; asOf: number } | null;
}

export const initialPartnerConnect: PartnerConnectState = { exists: false, email: '', request: null, accountId: null, status: null };

const isPartnerStreamEvent = isEventOf<ConnectEvent | PartnerEvent>()(
  'PartnerCreated',
  'PartnerUpdated',
  'PartnerApiKeyRotated',
  'PartnerDeactivated',
  'PartnerReactivated',
  'PartnerStripeAccountRequested',
  'PartnerStripeAccountCreated',
  'PartnerPayoutsStatusChanged',
);

/** Folds the partner stream for Connect: the partner's existence and email, and its Stripe account. */
export function evolvePartnerConnect(state: PartnerConnectState, e: Event): PartnerConnectState {
  if (!isPartnerStreamEvent(e)) return state;
  switch (e.type) {
    case 'PartnerCreated':
      return { ...state, exists: true, email: e.data.email };
    case 'PartnerUpdated':
      return e.data.email === undefined ? state : { ...state, email: e.data.email };
    case 'PartnerStripeAccountRequested': {
      const { idempotencyKey, email, country, serviceAgreement } = e.data;
      return { ...state, request: { idempotencyKey, email, ...(country ? { country, serviceAgreement } : {}) } };
    }
    case 'PartnerStripeAccountCreated':
      return { ...state, accountId: e.data.accountId };
    case 'PartnerPayoutsStatusChanged': {
      const d = e.data;
      return {
        ...state,
        status: {
          payoutsEnabled: d.payoutsEnabled,
          chargesEnabled: d.chargesEnabled,
          detailsSubmitted: d.detailsSubmitted,
          transfersActive: d.transfersActive ?? null,
          asOf: d.stripeEventCreated,
        },
      };
    }
    default:
      return state;
  }
}

export const accountIdempotencyKey = (ids: PartnerIds) => `pf-connect-account-${ids.companyId}-${ids.partnerId}`;

/**
 * A partner in another country than the platform's gets the `recipient` service agreement (transfers only, no card
 * payments, docs.stripe.com/connect/service-agreement-types); a partner in the platform's country the `full` one.
 */
export const serviceAgreementFor = (country: string, platformCountry: string): ServiceAgreement => (country === platformCountry ? 'full' : 'recipient');

export type AccountLocation = { country: string; platformCountry: string; explicit: boolean };

/** An account's country is fixed: asking for another one than the recorded request's is a conflict. */
export function checkAccountCountry(state: PartnerConnectState, where: AccountLocation): void {
  const recorded = state.request?.country;
  if (where.explicit && recorded && recorded !== where.country) {
    throw conflict('stripe_account_country_fixed', `The partner's Stripe account was created for ${recorded}; a Stripe account's country cannot change`, {
      accountCountry: recorded,
    });
  }
}

/** Requests the account once, in `where.country`. */
export function decideRequestAccount(state: PartnerConnectState, ids: PartnerIds, where: AccountLocation): PartnerStripeAccountRequested[] {
  if (state.request || state.accountId) return [];
  const data = {
    ...ids,
    idempotencyKey: accountIdempotencyKey(ids),
    email: state.email,
    country: where.country,
    serviceAgreement: serviceAgreementFor(where.country, where.platformCountry),
  };
  return [{ type: 'PartnerStripeAccountRequested', data }];
}

/** The first account recorded wins; the account stream claim makes one account belong to one partner. */
export function decideAccountCreated(
  state: PartnerConnectState,
  ids: PartnerIds,
  accountId: string,
): { events: PartnerStripeAccountCreated[]; also: StreamAppend[] } {
  if (state.accountId) return { events: [], also: [] };
  const claim: StripeAccountClaimed = { type: 'StripeAccountClaimed', data: { ...ids, accountId } };
  return {
    events: [{ type: 'PartnerStripeAccountCreated', data: { ...ids, accountId } }],
    also: [{ streamId: stripeAccountStream(accountId), events: [claim], expectedVersion: 'no_stream' }],
  };
}

export type AccountStatus = Omit<PartnerPayoutsStatusChanged['data'], keyof PartnerIds> & { transfersActive: boolean; source: 'webhook' | 'retrieve' };

/** Pay's gate: a destination charge needs the `transfers` capability active, and payouts enabled to reach the partner's bank. */
export const canReceivePayouts = (state: PartnerConnectState): boolean => state.status?.payoutsEnabled === true && state.status.transfersActive === true;

/** Records a change of the account's status; older (out-of-order) or unchanged deliveries change nothing. */
export function decideAccountUpdated(state: PartnerConnectState, ids: PartnerIds, status: AccountStatus): PartnerPayoutsStatusChanged[] {
  if (state.accountId !== status.accountId) return [];
  const current = state.status;
  if (current && status.stripeEventCreated < current.asOf) return [];
  const same =
    current &&
    current.payoutsEnabled === status.payoutsEnabled &&
    current.chargesEnabled === status.chargesEnabled &&
    current.detailsSubmitted === status.detailsSubmitted &&
    current.transfersActive === status.transfersActive;
  return same ? [] : [{ type: 'PartnerPayoutsStatusChanged', data: { ...ids, ...status } }];
}
