import {
  checkoutSessionObject,
  disputeObject,
  invoiceObject,
  invoicePaymentObject,
  type CheckoutSessionInit,
  type InvoiceInit,
  type InvoicePaymentInit,
} from './objects/billing.js';
import { accountObject, type AccountInit } from './objects/connect.js';
import { customerObject, paymentMethodObject } from './objects/customers.js';
import {
  chargeObject,
  paymentErrorObject,
  paymentIntentObject,
  refundObject,
  setupIntentObject,
  type ChargeInit,
  type PaymentIntentInit,
} from './objects/payments.js';
import { newId, nowSeconds } from './ids.js';
import { TEST_CARDS } from './test-cards.js';
import { PLATFORM, type EmulatorState } from './state.js';
import type { Obj, StripeEvent } from './types.js';
import { DEFAULT_API_VERSION, isBasilOrLater } from './versions.js';

export interface EventOptions {
  eventId?: string;
  created?: number;
  /** Connected account the event happened on (Connect events carry `account`). */
  account?: string;
  apiVersion?: string;
  requestId?: string | null;
  idempotencyKey?: string | null;
  previousAttributes?: Obj;
}

export function makeEvent(type: string, object: Obj, o: EventOptions = {}): StripeEvent {
  return {
    id: o.eventId ?? newId('evt'),
    object: 'event',
    ...(o.account ? { account: o.account } : {}),
    api_version: o.apiVersion ?? DEFAULT_API_VERSION,
    created: o.created ?? nowSeconds(),
    data: { object: structuredClone(object), ...(o.previousAttributes ? { previous_attributes: o.previousAttributes } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: o.requestId ?? null, idempotency_key: o.idempotencyKey ?? null },
    type,
  };
}

type RefundInit = { id?: string; amount?: number; reason?: string | null; created?: number };

export interface ChargeRefundedInit extends ChargeInit {
  /** Refunds on the charge; defaults to one full refund of `amountRefunded ?? amount`. */
  refundList?: RefundInit[];
}

export interface PaymentFailedInit extends PaymentIntentInit {
  code?: string;
  declineCode?: string;
  message?: string;
}

export interface AccountUpdatedInit extends AccountInit {
  chargesEnabled?: boolean;
  payoutsEnabled?: boolean;
  detailsSubmitted?: boolean;
  /** The `transfers` capability's status (`active` once onboarded unless given). */
  transfers?: 'active' | 'inactive' | 'pending';
}

/**
 * Realistic Stripe event payloads for webhook tests; every field has a sensible default. Each payload is the shape of
 * its event's `api_version` (`apiVersion`, the SDK's pinned version unless given): pass `PRE_BASIL_API_VERSION` for a
 * company account still on a version before 2025-03-31.
 */
export const builders = {
  customerCreated: (o: Parameters<typeof customerObject>[0] & EventOptions = {}): StripeEvent => makeEvent('customer.created', customerObject(o), o),

  /** `previousAttributes`: what changed (Stripe lists the old values), e.g. `{ metadata: { partnerflow: null } }`. */
  customerUpdated: (o: Parameters<typeof customerObject>[0] & EventOptions = {}): StripeEvent =>
    makeEvent('customer.updated', customerObject(o), { ...o, previousAttributes: o.previousAttributes ?? { metadata: {} } }),

  invoicePaid: (o: InvoiceInit & EventOptions = {}): StripeEvent => makeEvent('invoice.paid', invoiceObject(o), o),

  chargeSucceeded: (o: ChargeInit & EventOptions = {}): StripeEvent => makeEvent('charge.succeeded', chargeObject({ ...o, status: 'succeeded' }), o),

  chargeRefunded: (o: ChargeRefundedInit & EventOptions = {}): StripeEvent => {
    const chargeId = o.id ?? newId('ch');
    const amount = o.amount ?? 2000;
    const paymentIntent = o.paymentIntent === undefined ? newId('pi') : o.paymentIntent;
    const list = o.refundList ?? [{ amount: o.amountRefunded ?? amount }];
    const refunds = list.map((r) => refundObject({ ...r, amount: r.amount ?? amount, charge: chargeId, currency: o.currency, paymentIntent }));
    const amountRefunded = o.amountRefunded ?? refunds.reduce((sum, r) => sum + r.amount, 0);
    const charge = chargeObject({ ...o, id: chargeId, amount, paymentIntent, amountRefunded, refunds });
    return makeEvent('charge.refunded', charge, {
      ...o,
      previousAttributes: o.previousAttributes ?? { amount_refunded: 0, refunded: false },
    });
  },

  /**
   * `capture_method: manual`: the charge was authorized earlier (`charge.succeeded` with `captured: false`) and is captured
   * now, in full or in part (`amountCaptured`). Before API 2025-03-31 a partial capture refunded the rest, so
   * `amount_refunded` counts it; from then on it does not (basil).
   */
  chargeCaptured: (o: ChargeInit & EventOptions = {}): StripeEvent => {
    const amount = o.amount ?? 2000;
    const captured = o.amountCaptured ?? amount;
    const charge = chargeObject({
      ...o,
      amount,
      status: 'succeeded',
      captured: true,
      amountCaptured: captured,
      amountRefunded: o.amountRefunded ?? (isBasilOrLater(o.apiVersion ?? DEFAULT_API_VERSION) ? 0 : amount - captured),
    });
    return makeEvent('charge.captured', charge, { ...o, previousAttributes: o.previousAttributes ?? { amount_captured: 0, captured: false } });
  },

  /** An authorization that was never captured expired: before API 2025-03-31 it was refunded in full, from then on not. */
  chargeExpired: (o: ChargeInit & EventOptions = {}): StripeEvent => {
    const amount = o.amount ?? 2000;
    return makeEvent(
      'charge.expired',
      chargeObject({ ...o, amount, status: 'succeeded', captured: false, amountRefunded: isBasilOrLater(o.apiVersion ?? DEFAULT_API_VERSION) ? 0 : amount }),
      o,
    );
  },

  /** API ≥ 2025-03-31: the InvoicePayment linking an invoice to the payment intent (or charge) that paid it. */
  invoicePaymentPaid: (o: InvoicePaymentInit & EventOptions = {}): StripeEvent => {
    if (o.apiVersion && !isBasilOrLater(o.apiVersion)) throw new Error(`invoice_payment.paid does not exist in API version ${o.apiVersion}`);
    return makeEvent('invoice_payment.paid', invoicePaymentObject({ ...o, status: 'paid' }), o);
  },

  disputeClosed: (o: Parameters<typeof disputeObject>[0] & EventOptions = {}): StripeEvent => makeEvent('charge.dispute.closed', disputeObject(o), o),

  checkoutSessionCompleted: (o: CheckoutSessionInit & EventOptions = {}): StripeEvent => makeEvent('checkout.session.completed', checkoutSessionObject(o), o),

  accountUpdated: (o: AccountUpdatedInit & EventOptions = {}): StripeEvent => {
    const account = accountObject({ onboarded: true, ...o });
    if (o.transfers) account.capabilities.transfers = o.transfers;
    account.charges_enabled = o.chargesEnabled ?? account.charges_enabled;
    account.payouts_enabled = o.payoutsEnabled ?? account.payouts_enabled;
    account.details_submitted = o.detailsSubmitted ?? account.details_submitted;
    return makeEvent('account.updated', account, { ...o, account: o.account ?? account.id });
  },

  setupIntentSucceeded: (
    o: { id?: string; customer?: string | null; paymentMethod?: string; usage?: string; metadata?: Obj; created?: number } & EventOptions = {},
  ): StripeEvent =>
    makeEvent(
      'setup_intent.succeeded',
      setupIntentObject({
        ...o,
        customer: o.customer === undefined ? newId('cus', 14) : o.customer,
        paymentMethod: o.paymentMethod ?? newId('pm'),
        status: 'succeeded',
      }),
      o,
    ),

  paymentIntentSucceeded: (o: PaymentIntentInit & EventOptions = {}): StripeEvent =>
    makeEvent('payment_intent.succeeded', paymentIntentObject({ ...o, status: 'succeeded' }), o),

  paymentIntentPaymentFailed: (o: PaymentFailedInit & EventOptions = {}): StripeEvent => {
    const card = TEST_CARDS.pm_card_chargeDeclined;
    const pm = paymentMethodObject(card, { id: o.paymentMethod ?? undefined, customer: o.customer ?? null });
    const charge = o.latestCharge === undefined ? newId('ch') : o.latestCharge;
    const error = paymentErrorObject({
      code: o.code ?? 'card_declined',
      declineCode: o.declineCode ?? 'generic_decline',
      message: o.message ?? 'Your card was declined.',
      paymentMethod: pm,
      charge,
    });
    const intent = paymentIntentObject({ ...o, status: 'requires_payment_method', paymentMethod: null, latestCharge: charge, lastPaymentError: error });
    return makeEvent('payment_intent.payment_failed', intent, o);
  },
};

/** Stores an event in an account's event list (PLATFORM, or a connected account it then names). */
export function recordEvent(state: EmulatorState, namespace: string, type: string, object: Obj, o: EventOptions = {}): StripeEvent {
  const event = makeEvent(type, object, { ...o, account: namespace === PLATFORM ? o.account : namespace });
  state.eventsOf(namespace).push(event);
  for (const listener of state.listeners) listener(event, namespace);
  return event;
}
