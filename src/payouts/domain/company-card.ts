import type { RecordedEvent, StreamAppend } from '../../../libs/event-store/event-store.port.js';
import type { CompanyEvent } from '../../companies/domain/company.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';

/** Claimed once per platform customer: `setup_intent.succeeded` finds its company here. */
export const platformCustomerStream = (customerId: string) => `platformcustomer-${streamKey(customerId)}`;

/** Appended before Stripe is called, so every caller creates the customer with the same key and params. */
export type CompanyPlatformCustomerRequested = { type: 'CompanyPlatformCustomerRequested'; data: { companyId: string; idempotencyKey: string; name: string } };
export type CompanyPlatformCustomerCreated = { type: 'CompanyPlatformCustomerCreated'; data: { companyId: string; customerId: string } };
export type PlatformCustomerClaimed = { type: 'PlatformCustomerClaimed'; data: { companyId: string; customerId: string } };
/** Only what identifies the card to a human; nothing else about it is kept. */
export type CompanyPaymentMethodSaved = {
  type: 'CompanyPaymentMethodSaved';
  data: { companyId: string; customerId: string; paymentMethodId: string; brand: string; last4: string; setupIntentId: string; stripeEventCreated: number };
};
/**
 * A succeeded SetupIntent whose payment method is not a card (Link, a bank account: possible for SetupIntents created
 * before they were limited to cards). Pay charges cards only, so it is not saved; it is kept to say why there is no card.
 */
export type CompanyPaymentMethodRefused = {
  type: 'CompanyPaymentMethodRefused';
  data: { companyId: string; customerId: string; paymentMethodId: string; paymentMethodType: string; setupIntentId: string; stripeEventCreated: number };
};
export type CompanyCardEvent = CompanyPlatformCustomerRequested | CompanyPlatformCustomerCreated | CompanyPaymentMethodSaved | CompanyPaymentMethodRefused;

export interface CompanyCard {
  paymentMethodId: string;
  brand: string;
  last4: string;
  asOf: number;
}

export interface CompanyBillingState {
  exists: boolean;
  name: string;
  request: { idempotencyKey: string; name: string } | null;
  customerId: string | null;
  card: CompanyCard | null;
  /** The latest saved payment method that is not a card. */
  refused: { paymentMethodId: string; type: string; asOf: number } | null;
}

export const initialCompanyBilling: CompanyBillingState = { exists: false, name: '', request: null, customerId: null, card: null, refused: null };

export function evolveCompanyBilling(state: CompanyBillingState, event: RecordedEvent): CompanyBillingState {
  const e = event as unknown as CompanyCardEvent | CompanyEvent;
  switch (e.type) {
    case 'CompanyCreated':
      return { ...state, exists: true, name: e.data.name };
    case 'CompanySettingsChanged':
      return e.data.name === undefined ? state : { ...state, name: e.data.name };
    case 'CompanyPlatformCustomerRequested':
      return { ...state, request: { idempotencyKey: e.data.idempotencyKey, name: e.data.name } };
    case 'CompanyPlatformCustomerCreated':
      return { ...state, customerId: e.data.customerId };
    case 'CompanyPaymentMethodSaved':
      return { ...state, card: { paymentMethodId: e.data.paymentMethodId, brand: e.data.brand, last4: e.data.last4, asOf: e.data.stripeEventCreated } };
    case 'CompanyPaymentMethodRefused':
      return { ...state, refused: { paymentMethodId: e.data.paymentMethodId, type: e.data.paymentMethodType, asOf: e.data.stripeEventCreated } };
    default:
      return state;
  }
}

export const customerIdempotencyKey = (companyId: string) => `pf-platform-customer-${companyId}`;

export function decideRequestCustomer(state: CompanyBillingState, companyId: string): CompanyPlatformCustomerRequested[] {
  if (state.request || state.customerId) return [];
  return [{ type: 'CompanyPlatformCustomerRequested', data: { companyId, idempotencyKey: customerIdempotencyKey(companyId), name: state.name } }];
}

export function decideCustomerCreated(state: CompanyBillingState, companyId: string, customerId: string): { events: CompanyPlatformCustomerCreated[]; also: StreamAppend[] } {
  if (state.customerId) return { events: [], also: [] };
  const claim: PlatformCustomerClaimed = { type: 'PlatformCustomerClaimed', data: { companyId, customerId } };
  return {
    events: [{ type: 'CompanyPlatformCustomerCreated', data: { companyId, customerId } }],
    also: [{ streamId: platformCustomerStream(customerId), events: [claim], expectedVersion: 'no_stream' }],
  };
}

/** The newest succeeded SetupIntent's card wins; a late, older delivery or a repeat changes nothing. */
export function decideSaveCard(state: CompanyBillingState, companyId: string, card: Omit<CompanyPaymentMethodSaved['data'], 'companyId'>): CompanyPaymentMethodSaved[] {
  if (card.customerId !== state.customerId) return [];
  if (state.card && (state.card.paymentMethodId === card.paymentMethodId || card.stripeEventCreated < state.card.asOf)) return [];
  return [{ type: 'CompanyPaymentMethodSaved', data: { companyId, ...card } }];
}

/** Records a saved payment method Pay cannot charge (once per method; a late, older delivery changes nothing). */
export function decideRefuseMethod(state: CompanyBillingState, companyId: string, method: Omit<CompanyPaymentMethodRefused['data'], 'companyId'>): CompanyPaymentMethodRefused[] {
  if (method.customerId !== state.customerId) return [];
  if (state.refused && (state.refused.paymentMethodId === method.paymentMethodId || method.stripeEventCreated < state.refused.asOf)) return [];
  return [{ type: 'CompanyPaymentMethodRefused', data: { companyId, ...method } }];
}

/** Why Pay has no card to charge, and what to do. */
export function missingCardMessage(state: CompanyBillingState): string {
  const add = 'add one in Payment Settings (POST /v1/company/payment-method/setup-intent)';
  if (!state.refused) return `The company has no payment card: ${add}`;
  return `The company has no payment card: the payment method it saved (${state.refused.paymentMethodId}) is a ${state.refused.type}, which Pay cannot charge off-session; ${add}`;
}
