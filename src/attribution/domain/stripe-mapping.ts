import { createHash } from 'node:crypto';
import { isValidCurrency } from '../../../libs/money/index.js';
import type { PaymentFacts, Reversal } from './payment.js';
import type { CommissionExclusion } from './payment.events.js';

/** Pure readers of Stripe event payloads (untrusted JSON, any API version): they never throw on odd input. */

type Obj = Record<string, unknown>;
export type Ignored = { kind: 'ignored'; reason: string };

const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
/** An id field, plain or expanded into its object. */
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v)?.id);
/** A Unix time in years 1970–9999 (what a timestamp column and an ISO date can hold), else null. */
const time = (v: unknown): number | null => (int(v) !== null && (v as number) >= 0 && (v as number) <= 253_402_300_799 ? (v as number) : null);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const sumAmounts = (v: unknown): number | null => (Array.isArray(v) && v.length ? v.reduce<number>((s, t) => s + (int(obj(t)?.amount) ?? 0), 0) : null);

/** Deterministic, so a redelivered or reconciled event can never make a second payment. */
export const paymentIdFor = (companyId: string, stripeObjectId: string): string =>
  `pay_${createHash('sha256').update(`${companyId}:${stripeObjectId}`).digest('hex').slice(0, 24)}`;

function parts(event: Obj): { type: string; object: Obj; eventId: string; created: number; apiVersion: string | null } | null {
  const object = obj(obj(event.data)?.object);
  const type = str(event.type);
  const eventId = str(event.id);
  const created = time(event.created);
  if (!object || !type || !eventId || created === null) return null;
  return { type, object, eventId, created, apiVersion: str(event.api_version) };
}

/** API versions from 2025-03-31 ("basil") on: charges and payment intents no longer name their invoice. */
export const INVOICE_PAYMENTS_API_VERSION = '2025-03-31';
const isBasilOrLater = (apiVersion: string | null): boolean => apiVersion !== null && apiVersion >= INVOICE_PAYMENTS_API_VERSION;

/**
 * Set on a charge (or dispute) of API ≥ 2025-03-31 that has a payment intent: whether it paid an invoice is not in
 * the payload; the InvoicePayment of that payment intent says (`invoice_payment.paid`, or a lookup).
 */
export type InvoiceLookup = { paymentIntentId: string };

/**
 * The promotion codes an invoice or checkout session used, in every shape Stripe sends: `promotion_code` ids of
 * the old single `discount` (invoices before API 2025-03-31), of `discounts` entries and of expanded Discount
 * objects (`discounts`, `total_discount_amounts[].discount`, a session's `total_details.breakdown.discounts`),
 * expanded PromotionCode objects (their id and customer-facing `code`); `discountIds`: unexpanded Discount ids
 * (`di_…`, invoices of API ≥ 2025-03-31), whose promotion codes only the API can tell.
 */
export type PromotionReferences = { codes: string[]; discountIds: string[] };

export function promotionReferencesOf(o: Obj): PromotionReferences {
  const codes: string[] = [];
  const discountIds: string[] = [];
  const promotion = (v: unknown) => {
    const id = idOf(v);
    if (id) codes.push(id);
    const code = str(obj(v)?.code);
    if (code) codes.push(code);
  };
  const discount = (v: unknown) => {
    if (typeof v === 'string') return void (v.startsWith('di_') && discountIds.push(v.trim()));
    const d = obj(v);
    if (d) promotion(d.promotion_code);
  };
  discount(o.discount);
  for (const d of Array.isArray(o.discounts) ? o.discounts : []) discount(d);
  for (const t of Array.isArray(o.total_discount_amounts) ? o.total_discount_amounts : []) if (obj(obj(t)?.discount)) discount(obj(t)!.discount);
  const breakdown = obj(obj(o.total_details)?.breakdown)?.discounts;
  for (const t of Array.isArray(breakdown) ? breakdown : []) discount(obj(t)?.discount);
  const unique = (xs: string[]) => [...new Set(xs)];
  return { codes: unique(codes), discountIds: unique(discountIds).filter(() => codes.length === 0) };
}

/** Stripe metadata `partnerflow: "false"` (any case, trimmed) excludes the object's payment from commissions (SPEC §11). */
export const excludesCommission = (metadata: unknown): boolean => str(obj(metadata)?.partnerflow)?.toLowerCase() === 'false';

const exclusion = (where: CommissionExclusion['where'], id: string | null): CommissionExclusion => ({
  where,
  reason: `metadata partnerflow: "false" on ${where}${id ? ` ${id}` : ''}`,
});

/**
 * Where the payload itself says `partnerflow: "false"`: the invoice, its subscription (`parent.subscription_details` from
 * API 2025-03-31 on, `subscription_details` before, or an expanded `subscription`), the charge, or an expanded customer.
 * `customerKnown`: the customer's metadata was in the payload (expanded), so no lookup is needed.
 */
export function commissionExclusionOf(type: 'invoice' | 'charge', o: Obj): { excluded: CommissionExclusion | null; customerKnown: boolean } {
  const customer = obj(o.customer);
  const own = excludesCommission(o.metadata) ? exclusion(type, str(o.id)) : null;
  let subscription: CommissionExclusion | null = null;
  if (type === 'invoice') {
    const details = obj(obj(o.parent)?.subscription_details);
    const subscriptionId = idOf(details?.subscription) ?? idOf(o.subscription);
    const flagged =
      excludesCommission(details?.metadata) || excludesCommission(obj(o.subscription_details)?.metadata) || excludesCommission(obj(o.subscription)?.metadata);
    if (flagged) subscription = exclusion('subscription', subscriptionId);
  }
  const ofCustomer = customer && excludesCommission(customer.metadata) ? exclusion('customer', str(customer.id)) : null;
  return { excluded: own ?? subscription ?? ofCustomer, customerKnown: customer !== null };
}

/** `customerLookup`: no exclusion in the payload and the customer not expanded: its metadata is to be read from Stripe. */
export type PaymentMapping =
  { kind: 'payment'; facts: PaymentFacts; refs: string[]; lookup?: InvoiceLookup; discountIds?: string[]; customerLookup?: string } | Ignored;

function withExclusion(m: Extract<PaymentMapping, { kind: 'payment' }>, type: 'invoice' | 'charge', o: Obj): PaymentMapping {
  const { excluded, customerKnown } = commissionExclusionOf(type, o);
  if (excluded) m.facts.commissionExcluded = excluded;
  else if (!customerKnown && m.facts.customerId) m.customerLookup = m.facts.customerId;
  return m;
}

/**
 * `invoice.paid`, or `charge.succeeded` (captured) / `charge.captured` (manual capture, for `amount_captured`) of a charge
 * without invoice; zero-amount invoices (trials) are not payments.
 */
export function paymentFromStripeEvent(companyId: string, event: Obj): PaymentMapping {
  const p = parts(event);
  if (!p) return { kind: 'ignored', reason: 'malformed event' };
  const o = p.object;
  const id = str(o.id);
  const currency = str(o.currency)?.toLowerCase() ?? '';
  if (!id) return { kind: 'ignored', reason: 'object without id' };
  if (!isValidCurrency(currency)) return { kind: 'ignored', reason: `unknown currency ${currency || '(none)'}` };
  const base = { companyId, stripeObjectId: id, currency, stripeEventId: p.eventId, customerId: idOf(o.customer) };

  if (p.type === 'invoice.paid') {
    const amount = int(o.amount_paid);
    if (amount === null || amount < 0) return { kind: 'ignored', reason: 'invoice without amount_paid' };
    if (amount === 0) return { kind: 'ignored', reason: 'zero-amount invoice' };
    const tax = Math.min(amount, Math.max(0, int(o.tax) ?? sumAmounts(o.total_taxes) ?? sumAmounts(o.total_tax_amounts) ?? 0));
    // Before 2025-03-31 the invoice names its charge and payment intent; from then on only an InvoicePayment does
    // (`invoice_payment.paid`). `payments` is only present when expanded, which an event never is.
    const chargeId = idOf(o.charge);
    const paymentIntentId = idOf(o.payment_intent);
    const paidAt = time(obj(o.status_transitions)?.paid_at) ?? p.created;
    const facts: PaymentFacts = {
      ...base,
      paymentId: paymentIdFor(companyId, id),
      chargeId,
      paymentIntentId,
      invoiceId: id,
      email: str(o.customer_email),
      amount,
      tax,
      net: amount - tax,
      paidAt: iso(paidAt),
    };
    const promotions = promotionReferencesOf(o);
    if (promotions.codes.length) facts.promotionCodes = promotions.codes;
    return withExclusion(
      {
        kind: 'payment',
        facts,
        refs: refsOf(id, chargeId, paymentIntentId),
        ...(promotions.discountIds.length ? { discountIds: promotions.discountIds } : {}),
      },
      'invoice',
      o,
    );
  }

  if (p.type === 'charge.succeeded' || p.type === 'charge.captured') {
    const invoice = idOf(o.invoice);
    if (invoice) return { kind: 'ignored', reason: `charge of invoice ${invoice}: recorded from invoice.paid` };
    // An authorization (`capture_method: manual`) is no payment yet: it earns on capture, for the amount captured.
    if (p.type === 'charge.succeeded' && o.captured === false)
      return { kind: 'ignored', reason: 'uncaptured charge: recorded when captured (charge.captured)' };
    // The old shape says `invoice: null` for a standalone charge; the new one has no `invoice` property at all.
    const invoiceUnknown = !('invoice' in o);
    const amount = p.type === 'charge.captured' ? int(o.amount_captured) : int(o.amount);
    if (amount === null || amount <= 0) return { kind: 'ignored', reason: 'charge without a positive amount' };
    const paymentIntentId = idOf(o.payment_intent);
    const facts: PaymentFacts = {
      ...base,
      paymentId: paymentIdFor(companyId, id),
      chargeId: id,
      paymentIntentId,
      invoiceId: null,
      email: str(obj(o.billing_details)?.email) ?? str(o.receipt_email),
      amount,
      tax: 0,
      net: amount,
      // captured now (the event's time), not when it was authorized
      paidAt: iso(p.type === 'charge.captured' ? p.created : (time(o.created) ?? p.created)),
    };
    // An invoice always has a customer, so a guest charge (no customer) never paid one: nothing to look up.
    const mayHaveInvoice = invoiceUnknown && paymentIntentId && base.customerId;
    return withExclusion(
      { kind: 'payment', facts, refs: refsOf(id, paymentIntentId), ...(mayHaveInvoice ? { lookup: { paymentIntentId } } : {}) },
      'charge',
      o,
    );
  }
  return { kind: 'ignored', reason: `not a payment event: ${p.type}` };
}

/** The Stripe customer an event's object names (a charge's, or an expanded charge's on a dispute), or is, if any. */
export function customerOfStripeEvent(event: unknown): string | null {
  const object = obj(obj(obj(event)?.data)?.object);
  return idOf(object?.customer) ?? idOf(obj(object?.charge)?.customer) ?? (object?.object === 'customer' ? str(object.id) : null);
}

export type CustomerMetadataMapping = { kind: 'customer'; customerId: string; excluded: boolean; created: number; stripeEventId: string } | Ignored;

/** `customer.created` / `customer.updated`: whether the customer's metadata says `partnerflow: "false"` now. */
export function customerMetadataFromStripeEvent(event: Obj): CustomerMetadataMapping {
  const p = parts(event);
  if (!p || (p.type !== 'customer.created' && p.type !== 'customer.updated')) return { kind: 'ignored', reason: 'not a customer event' };
  const customerId = str(p.object.id);
  if (!customerId || p.object.object !== 'customer') return { kind: 'ignored', reason: 'customer event without a customer' };
  return { kind: 'customer', customerId, excluded: excludesCommission(p.object.metadata), created: p.created, stripeEventId: p.eventId };
}

const refsOf = (...ids: (string | null)[]): string[] => [...new Set(ids.filter((x): x is string => x !== null))];

export type ReversalMapping = { kind: 'reversal'; reversal: Reversal; refs: string[]; lookup?: InvoiceLookup } | Ignored;

/** `charge.refunded` (cumulative `amount_refunded`), `charge.expired` and `charge.dispute.closed` lost, with the ids that find their payment. */
export function reversalFromStripeEvent(event: Obj): ReversalMapping {
  const p = parts(event);
  if (!p) return { kind: 'ignored', reason: 'malformed event' };
  const o = p.object;
  const currency = str(o.currency)?.toLowerCase() ?? '';
  const occurredAt = iso(p.created);
  const id = str(o.id);
  if (!id || !currency) return { kind: 'ignored', reason: 'object without id or currency' };
  if (p.type === 'charge.refunded' || p.type === 'charge.expired') {
    // charge.expired: the authorization lapsed uncaptured, so nothing of it was paid (it earned nothing unless recorded
    // before captures were awaited). Before API 2025-03-31 a partial capture or an expiry refunded the uncaptured rest,
    // so `amount_refunded` counts it: only what exceeds it is a refund of the captured payment.
    const amount = int(o.amount) ?? 0;
    const captured = int(o.amount_captured);
    const released = !isBasilOrLater(p.apiVersion) && o.captured === true && captured !== null ? Math.max(0, amount - captured) : 0;
    const amountRefunded = p.type === 'charge.expired' ? amount : (int(o.amount_refunded) ?? 0) - released;
    if (amountRefunded <= 0) return { kind: 'ignored', reason: 'charge without amount_refunded' };
    const paymentIntentId = idOf(o.payment_intent);
    return {
      kind: 'reversal',
      reversal: { kind: 'refund', chargeId: id, amountRefunded, currency, occurredAt, stripeEventId: p.eventId },
      refs: refsOf(id, paymentIntentId, idOf(o.invoice)),
      ...(!('invoice' in o) && paymentIntentId ? { lookup: { paymentIntentId } } : {}),
    };
  }
  if (p.type === 'charge.dispute.closed') {
    if (o.status !== 'lost') return { kind: 'ignored', reason: `dispute closed as ${String(o.status)}` };
    const amount = int(o.amount);
    if (amount === null || amount <= 0) return { kind: 'ignored', reason: 'dispute without a positive amount' };
    const chargeId = idOf(o.charge);
    const paymentIntentId = idOf(o.payment_intent);
    // A dispute never named the invoice: from API 2025-03-31 on, its charge does not either.
    return {
      kind: 'reversal',
      reversal: { kind: 'dispute_lost', disputeId: id, chargeId, amount, currency, occurredAt, stripeEventId: p.eventId },
      refs: refsOf(chargeId, paymentIntentId),
      ...(isBasilOrLater(p.apiVersion) && paymentIntentId ? { lookup: { paymentIntentId } } : {}),
    };
  }
  return { kind: 'ignored', reason: `not a reversal event: ${p.type}` };
}

export type InvoicePaymentMapping = { kind: 'invoice_payment'; invoiceId: string; paymentId: string; refs: string[] } | Ignored;

/**
 * `invoice_payment.paid` (API ≥ 2025-03-31): the payment intent (or, without one, the charge) that paid an invoice.
 * Its ids become references of the invoice's payment (`paymentIdFor(companyId, invoiceId)`), so the charge's own
 * `charge.succeeded` is not a second payment and its refunds find the invoice's payment.
 */
export function invoicePaymentFromStripeEvent(companyId: string, event: Obj): InvoicePaymentMapping {
  const p = parts(event);
  if (!p || p.type !== 'invoice_payment.paid') return { kind: 'ignored', reason: 'not an invoice payment' };
  const o = p.object;
  const invoiceId = idOf(o.invoice);
  if (!invoiceId) return { kind: 'ignored', reason: 'invoice payment without invoice' };
  if (o.status !== undefined && o.status !== 'paid') return { kind: 'ignored', reason: `invoice payment ${String(o.status)}` };
  const payment = obj(o.payment) ?? {};
  const refs = refsOf(idOf(payment.payment_intent), idOf(payment.charge)).filter((r) => r !== invoiceId);
  if (refs.length === 0) return { kind: 'ignored', reason: `invoice payment of type ${String(payment.type)} names no payment intent or charge` };
  return { kind: 'invoice_payment', invoiceId, paymentId: paymentIdFor(companyId, invoiceId), refs };
}

export type CheckoutLinkMapping =
  | {
      kind: 'checkout';
      sessionId: string;
      reference: string | null;
      buyer: { customerId: string } | { customerId: null; paymentIntentId: string };
      email: string | null;
      promotionCodes: string[];
    }
  | Ignored;

/**
 * `checkout.session.completed` naming a lead id, click id or referral key in `client_reference_id`, or using a
 * promotion code: its customer, or for a session without one (`payment` mode, `customer_creation: if_required`) its
 * payment intent, is the lead's.
 */
export function checkoutLinkFromStripeEvent(event: Obj): CheckoutLinkMapping {
  const p = parts(event);
  if (!p || p.type !== 'checkout.session.completed') return { kind: 'ignored', reason: 'not a checkout session' };
  const o = p.object;
  const sessionId = str(o.id);
  const reference = str(o.client_reference_id);
  const promotionCodes = promotionReferencesOf(o).codes;
  if (!sessionId || (!reference && promotionCodes.length === 0)) return { kind: 'ignored', reason: 'session without client_reference_id or promotion code' };
  const customerId = idOf(o.customer);
  const paymentIntentId = idOf(o.payment_intent);
  const email = str(obj(o.customer_details)?.email) ?? str(o.customer_email);
  if (customerId) return { kind: 'checkout', sessionId, reference, buyer: { customerId }, email, promotionCodes };
  if (paymentIntentId) return { kind: 'checkout', sessionId, reference, buyer: { customerId: null, paymentIntentId }, email, promotionCodes };
  return { kind: 'ignored', reason: 'session without customer or payment intent' };
}
