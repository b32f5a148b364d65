import { newId, nowSeconds, randomString } from '../ids.js';
import type { Obj } from '../types.js';

export interface InvoiceInit {
  id?: string;
  customer?: string;
  email?: string | null;
  customerName?: string | null;
  amount?: number;
  tax?: number | null;
  currency?: string;
  subscription?: string | null;
  charge?: string | null;
  paymentIntent?: string | null;
  billingReason?: string;
  metadata?: Obj;
  lines?: Array<{ amount: number; description?: string; price?: string; product?: string; quantity?: number }>;
  created?: number;
  /**
   * API version ≥ 2025-03-31 ("basil") shape: no `charge`, `payment_intent` nor `paid`; the payment is an
   * InvoicePayment (`invoicePaymentObject`, `invoice_payment.paid`).
   */
  basil?: boolean;
  /**
   * Discounts applied (`discountObject`), each taking `amount` off: `discounts` lists their ids and
   * `total_discount_amounts` their amounts (as Stripe sends them: ids, never expanded in events); before basil the
   * invoice also embeds the first one as the single `discount` (with its `promotion_code` id).
   */
  discounts?: { discount: Obj; amount: number }[];
}

export function invoiceObject(o: InvoiceInit = {}): Obj {
  const invoice = legacyInvoiceObject(o);
  if (o.basil) {
    delete invoice.charge;
    delete invoice.payment_intent;
    delete invoice.paid;
    delete invoice.discount;
  }
  return invoice;
}

function legacyInvoiceObject(o: InvoiceInit): Obj {
  const id = o.id ?? newId('in');
  const created = o.created ?? nowSeconds();
  const total = o.amount ?? 2000;
  const tax = o.tax ?? null;
  const subtotal = total - (tax ?? 0);
  const currency = (o.currency ?? 'usd').toLowerCase();
  const subscription = o.subscription === undefined ? newId('sub') : o.subscription;
  const lines = (o.lines ?? [{ amount: subtotal, description: '1 × Pro plan (at $' + (subtotal / 100).toFixed(2) + ' / month)' }]).map((l) =>
    invoiceLine(id, currency, subscription, created, l),
  );
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Partnerflow Test',
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: total,
    amount_remaining: 0,
    amount_shipping: 0,
    attempt_count: 1,
    attempted: true,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    billing_reason: o.billingReason ?? (subscription ? 'subscription_cycle' : 'manual'),
    charge: o.charge === undefined ? newId('ch') : o.charge,
    collection_method: 'charge_automatically',
    created,
    currency,
    customer: o.customer ?? newId('cus', 14),
    customer_email: o.email ?? null,
    customer_name: o.customerName ?? null,
    default_payment_method: null,
    description: null,
    discount: o.discounts?.[0]?.discount ?? null,
    discounts: (o.discounts ?? []).map((d) => d.discount.id),
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_test/${randomString(40)}`,
    invoice_pdf: `https://pay.stripe.com/invoice/acct_test/${randomString(40)}/pdf`,
    last_finalization_error: null,
    lines: { object: 'list', data: lines, has_more: false, total_count: lines.length, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: o.metadata ?? {},
    number: `${randomString(8).toUpperCase()}-0001`,
    parent: subscription
      ? { quote_details: null, subscription_details: { metadata: {}, subscription }, type: 'subscription_details' }
      : null,
    payment_intent: o.paymentIntent === undefined ? newId('pi') : o.paymentIntent,
    period_end: created,
    period_start: created - 30 * 86400,
    starting_balance: 0,
    status: 'paid',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: created, voided_at: null },
    subscription,
    subtotal,
    subtotal_excluding_tax: subtotal,
    tax,
    total,
    total_discount_amounts: (o.discounts ?? []).map((d) => ({ amount: d.amount, discount: d.discount.id })),
    total_excluding_tax: subtotal,
    total_pretax_credit_amounts: [],
    total_taxes:
      tax === null
        ? []
        : [{ amount: tax, tax_behavior: 'exclusive', tax_rate_details: { tax_rate: newId('txr') }, taxability_reason: 'standard_rated', taxable_amount: subtotal, type: 'tax_rate_details' }],
    webhooks_delivered_at: created,
  };
}

function invoiceLine(invoice: string, currency: string, subscription: string | null, created: number, l: NonNullable<InvoiceInit['lines']>[number]): Obj {
  return {
    id: newId('il'),
    object: 'line_item',
    amount: l.amount,
    currency,
    description: l.description ?? null,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice,
    livemode: false,
    metadata: {},
    parent: subscription
      ? { invoice_item_details: null, subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription, subscription_item: newId('si', 14) }, type: 'subscription_item_details' }
      : null,
    period: { end: created, start: created - 30 * 86400 },
    pretax_credit_amounts: [],
    pricing: { price_details: { price: l.price ?? newId('price'), product: l.product ?? newId('prod', 14) }, type: 'price_details', unit_amount_decimal: String(l.amount / (l.quantity ?? 1)) },
    quantity: l.quantity ?? 1,
    taxes: [],
  };
}

export function disputeObject(o: { id?: string; charge?: string; paymentIntent?: string | null; amount?: number; currency?: string; status?: string; reason?: string; created?: number; metadata?: Obj } = {}): Obj {
  const created = o.created ?? nowSeconds();
  return {
    id: o.id ?? newId('dp'),
    object: 'dispute',
    amount: o.amount ?? 2000,
    balance_transactions: [],
    charge: o.charge ?? newId('ch'),
    created,
    currency: o.currency ?? 'usd',
    enhanced_eligibility_types: [],
    evidence: { customer_email_address: null, product_description: null, receipt: null, uncategorized_text: null },
    evidence_details: { due_by: created + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: o.metadata ?? {},
    payment_intent: o.paymentIntent === undefined ? newId('pi') : o.paymentIntent,
    payment_method_details: { card: { brand: 'visa', case_type: 'chargeback', network_reason_code: '10.4' }, type: 'card' },
    reason: o.reason ?? 'fraudulent',
    status: o.status ?? 'lost',
  };
}

export function checkoutSessionObject(o: { id?: string; clientReferenceId?: string | null; customer?: string | null; email?: string | null; mode?: 'payment' | 'subscription' | 'setup'; paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required'; amountTotal?: number | null; currency?: string | null; invoice?: string | null; subscription?: string | null; paymentIntent?: string | null; metadata?: Obj; created?: number; promotionCode?: { id: string; coupon: string; amountOff: number } } = {}): Obj {
  const mode = o.mode ?? 'subscription';
  const created = o.created ?? nowSeconds();
  const amountTotal = o.amountTotal === undefined ? (mode === 'setup' ? null : 2000) : o.amountTotal;
  return {
    id: o.id ?? `cs_test_${randomString(58)}`,
    object: 'checkout.session',
    allow_promotion_codes: null,
    amount_subtotal: amountTotal,
    amount_total: amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: null,
    client_reference_id: o.clientReferenceId ?? null,
    created,
    currency: o.currency === undefined ? (mode === 'setup' ? null : 'usd') : o.currency,
    customer: o.customer === undefined ? newId('cus', 14) : o.customer,
    customer_creation: 'always',
    customer_details: { address: null, email: o.email ?? null, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
    discounts: o.promotionCode ? [{ coupon: o.promotionCode.coupon, promotion_code: o.promotionCode.id }] : [],
    customer_email: o.email ?? null,
    expires_at: created + 86400,
    invoice: o.invoice === undefined ? (mode === 'subscription' ? newId('in') : null) : o.invoice,
    livemode: false,
    locale: null,
    metadata: o.metadata ?? {},
    mode,
    payment_intent: o.paymentIntent === undefined ? (mode === 'payment' ? newId('pi') : null) : o.paymentIntent,
    payment_method_types: ['card'],
    payment_status: o.paymentStatus ?? (mode === 'setup' ? 'no_payment_required' : 'paid'),
    setup_intent: mode === 'setup' ? newId('seti') : null,
    status: 'complete',
    subscription: o.subscription === undefined ? (mode === 'subscription' ? newId('sub') : null) : o.subscription,
    success_url: 'https://example.com/success',
    total_details: { amount_discount: o.promotionCode?.amountOff ?? 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: null,
  };
}

export interface InvoicePaymentInit {
  id?: string;
  invoice?: string;
  amount?: number;
  currency?: string;
  /** The payment intent paying the invoice (type `payment_intent`, the default). */
  paymentIntent?: string | null;
  /** A charge without payment intent (type `charge`), surfaced only when `paymentIntent` is null. */
  charge?: string | null;
  status?: 'paid' | 'open' | 'canceled';
  isDefault?: boolean;
  created?: number;
}

/** An InvoicePayment (API ≥ 2025-03-31): the link between an invoice and the payment intent or charge paying it. */
export function invoicePaymentObject(o: InvoicePaymentInit = {}): Obj {
  const created = o.created ?? nowSeconds();
  const amount = o.amount ?? 2000;
  const status = o.status ?? 'paid';
  const paymentIntent = o.paymentIntent === undefined ? (o.charge ? null : newId('pi')) : o.paymentIntent;
  const payment = paymentIntent
    ? { type: 'payment_intent', payment_intent: paymentIntent }
    : { type: 'charge', charge: o.charge ?? newId('ch') };
  return {
    id: o.id ?? newId('inpay'),
    object: 'invoice_payment',
    amount_paid: status === 'paid' ? amount : null,
    amount_requested: amount,
    created,
    currency: (o.currency ?? 'usd').toLowerCase(),
    invoice: o.invoice ?? newId('in'),
    is_default: o.isDefault ?? true,
    livemode: false,
    payment,
    status,
    status_transitions: { canceled_at: status === 'canceled' ? created : null, paid_at: status === 'paid' ? created : null },
  };
}
