import { aggregate, eventTypes, streamOf } from '../../../libs/event-store/aggregate.js';
import { companyStream, type CompanyCreated, type CompanySettingsChanged } from './company.js';
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
/** The company stream as billing reads it: the company's name, and its platform customer and card. */
export type CompanyBillingEvent = CompanyCardEvent | CompanyCreated | CompanySettingsChanged;
export const COMPANY_CARD_EVENTS = eventTypes<CompanyCardEvent>()(
  'CompanyPlatformCustomerRequested',
  'CompanyPlatformCustomerCreated',
  'CompanyPaymentMethodSaved',
  'CompanyPaymentMethodRefused',
);

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
  /** Whether the company ever set its invoice schedule (payouts' readiness checklist asks). */
  scheduleConfigured: boolean;
}

export const initialCompanyBilling: CompanyBillingState = {
  exists: false,
  name: '',
  request: null,
  customerId: null,
  card: null,
  refused: null,
  scheduleConfigured: false,
};

export function evolveCompanyBilling(state: CompanyBillingState, e: CompanyBillingEvent): CompanyBillingState {
  switch (e.type) {
    case 'CompanyCreated':
      return { ...state, exists: true, name: e.data.name };
    case 'CompanySettingsChanged':
      return { ...state, name: e.data.name ?? state.name, scheduleConfigured: state.scheduleConfigured || e.data.invoiceSchedule !== undefined };
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

/**
 * The customer Stripe created, with its claim (`platformcustomer-<id>`, which `setup_intent.succeeded` finds the company
 * by). The claim is appended first: a crash between the two leaves a claim whose retry finds it its own and completes.
 */
export function decideCustomerCreated(
  state: CompanyBillingState,
  companyId: string,
  customerId: string,
  claim: string | null,
): { claim: PlatformCustomerClaimed[]; events: CompanyPlatformCustomerCreated[] } {
  if (state.customerId) return { claim: [], events: [] };
  return {
    claim: claim === companyId ? [] : [{ type: 'PlatformCustomerClaimed', data: { companyId, customerId } }],
    events: [{ type: 'CompanyPlatformCustomerCreated', data: { companyId, customerId } }],
  };
}

/** The newest succeeded SetupIntent's card wins; a late, older delivery or a repeat changes nothing. */
export function decideSaveCard(
  state: CompanyBillingState,
  companyId: string,
  card: Omit<CompanyPaymentMethodSaved['data'], 'companyId'>,
): CompanyPaymentMethodSaved[] {
  if (card.customerId !== state.customerId) return [];
  if (state.card && (state.card.paymentMethodId === card.paymentMethodId || card.stripeEventCreated < state.card.asOf)) return [];
  return [{ type: 'CompanyPaymentMethodSaved', data: { companyId, ...card } }];
}

/** Records a saved payment method Pay cannot charge (once per method; a late, older delivery changes nothing). */
export function decideRefuseMethod(
  state: CompanyBillingState,
  companyId: string,
  method: Omit<CompanyPaymentMethodRefused['data'], 'companyId'>,
): CompanyPaymentMethodRefused[] {
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

export const companyBilling = aggregate<CompanyBillingState, CompanyBillingEvent>({
  category: 'company',
  types: [...COMPANY_CARD_EVENTS, 'CompanyCreated', 'CompanySettingsChanged'],
  initial: initialCompanyBilling,
  evolve: evolveCompanyBilling,
});
export const companyBillingRef = (companyId: string) => streamOf(companyBilling, companyStream(companyId));

/** Which company a platform customer is (null: none). */
export const platformCustomerClaim = aggregate<string | null, PlatformCustomerClaimed>({
  category: 'platformcustomer',
  types: ['PlatformCustomerClaimed'],
  initial: null,
  evolve: (owner, e) => owner ?? e.data.companyId,
});
export const platformCustomerRef = (customerId: string) => streamOf(platformCustomerClaim, platformCustomerStream(customerId));
