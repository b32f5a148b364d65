/**
 * What a company's Stripe event may hold in the fields attribution reads, checked before it is stored.
 * A company admin sets its own webhook secret, so it can sign anything: values Stripe never sends
 * (a year-10000 timestamp, an amount of 2^53, a 6 KB customer id) are refused at the door instead of
 * reaching the reactors and projections every company shares.
 */

type Obj = Record<string, unknown>;
export type LimitProblem = { field: string; message: string };

/** Stripe's ids: a lower-case prefix, `_`, then letters, digits and `_` (`cs_test_…`); at most 255 characters. */
export const STRIPE_ID = /^[a-z][a-z0-9]{0,19}_[A-Za-z0-9_]{1,250}$/;
const MAX_ID = 255;
/** Stripe's limit for client_reference_id. */
const MAX_REFERENCE = 200;
const MAX_EMAIL = 512;
/**
 * Stripe takes at most 8 digits of minor units for most currencies and up to 12 for a few with small units
 * (e.g. IDR): 12 digits is the bound, far below 2^53, so every sum of them stays exact.
 */
export const MAX_STRIPE_AMOUNT = 999_999_999_999;
/** 2009-01-01: before Stripe existed. */
const EARLIEST = 1_230_768_000;
/** A clock a day ahead of ours is the most a real event can show. */
const SKEW_SECONDS = 86_400;

const ID_FIELDS = ['customer', 'charge', 'invoice', 'payment_intent'] as const;
const AMOUNT_FIELDS = ['amount', 'amount_paid', 'amount_due', 'amount_refunded', 'amount_captured', 'amount_received', 'tax', 'total', 'subtotal'] as const;
const TIME_FIELDS = ['paid_at', 'finalized_at', 'marked_uncollectible_at', 'voided_at'] as const;

const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The first field of `event` outside what Stripe sends, or null. `nowSeconds` bounds the timestamps. */
export function stripeEventProblem(event: Obj, nowSeconds: number): LimitProblem | null {
  const checks: (LimitProblem | null)[] = [];
  const time = (field: string, v: unknown, required = false) => {
    if (v === undefined || v === null) return required ? { field, message: `${field} is required` } : null;
    return Number.isInteger(v) && (v as number) >= EARLIEST && (v as number) <= nowSeconds + SKEW_SECONDS
      ? null
      : { field, message: `${field} must be a Unix time between 2009 and now, as Stripe sends` };
  };
  const id = (field: string, v: unknown) => {
    const value = obj(v)?.id ?? v;
    if (value === undefined || value === null) return null;
    return typeof value === 'string' && value.length <= MAX_ID && STRIPE_ID.test(value)
      ? null
      : { field, message: `${field} must be a Stripe id (prefix_, letters, digits, at most ${MAX_ID} characters)` };
  };
  const amount = (field: string, v: unknown) =>
    v === undefined || v === null || (Number.isSafeInteger(v) && Math.abs(v as number) <= MAX_STRIPE_AMOUNT)
      ? null
      : { field, message: `${field} must be an integer amount of at most ${MAX_STRIPE_AMOUNT} minor units, as Stripe sends` };
  const text = (field: string, v: unknown, max: number) =>
    v === undefined || v === null || (typeof v === 'string' && v.length <= max && !/[\u0000-\u001f]/.test(v))
      ? null
      : { field, message: `${field} must be text of at most ${max} characters` };

  checks.push(time('created', event.created, true));
  checks.push(text('api_version', event.api_version, 50));
  const o = obj(obj(event.data)?.object) ?? {};
  const at = (name: string) => `data.object.${name}`;
  checks.push(id(at('id'), o.id));
  for (const f of ID_FIELDS) checks.push(id(at(f), o[f]));
  checks.push(id(at('charge.customer'), obj(o.charge)?.customer));
  const payment = obj(o.payment);
  checks.push(id(at('payment.charge'), payment?.charge), id(at('payment.payment_intent'), payment?.payment_intent));
  list(obj(o.payments)?.data).forEach((p, i) => {
    const paid = obj(obj(p)?.payment);
    checks.push(id(at(`payments.data[${i}].payment.charge`), paid?.charge), id(at(`payments.data[${i}].payment.payment_intent`), paid?.payment_intent));
  });
  for (const f of AMOUNT_FIELDS) checks.push(amount(at(f), o[f]));
  for (const f of ['total_taxes', 'total_tax_amounts']) list(o[f]).forEach((t, i) => checks.push(amount(at(`${f}[${i}].amount`), obj(t)?.amount)));
  checks.push(time(at('created'), o.created));
  const transitions = obj(o.status_transitions) ?? {};
  for (const f of TIME_FIELDS) checks.push(time(at(`status_transitions.${f}`), transitions[f]));
  checks.push(text(at('client_reference_id'), o.client_reference_id, MAX_REFERENCE));
  checks.push(text(at('currency'), o.currency, 3));
  checks.push(text(at('customer_email'), o.customer_email, MAX_EMAIL), text(at('receipt_email'), o.receipt_email, MAX_EMAIL));
  checks.push(
    text(at('billing_details.email'), obj(o.billing_details)?.email, MAX_EMAIL),
    text(at('customer_details.email'), obj(o.customer_details)?.email, MAX_EMAIL),
  );
  return checks.find((c) => c !== null) ?? null;
}
