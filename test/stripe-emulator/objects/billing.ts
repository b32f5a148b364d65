import { newId, nowSeconds, randomString } from '../ids.js';
import type { Obj } from '../types.js';
import { DEFAULT_API_VERSION, isBasilOrLater } from '../versions.js';
import { listOf } from './shared.js';

export interface InvoiceInit {
  id?: string;
  customer?: string;
  email?: string | null;
  customerName?: string | null;
  amount?: number;
  tax?: number | null;
  currency?: string;
  subscription?: string | null;
  /** The subscription's metadata as the invoice snapshots it (`parent.subscription_details.metadata`; before Basil `subscription_details.metadata`). */
  subscriptionMetadata?: Obj;
  /** Pre-Basil versions only: the invoice's charge and payment intent (Basil+ links them with an InvoicePayment). */
  charge?: string | null;
  paymentIntent?: string | null;
  billingReason?: string;
  metadata?: Obj;
  lines?: Array<{ amount: number; description?: string; price?: string; product?: string; quantity?: number }>;
  created?: number;
  /** The shape follows the version: Basil+ (the default) or an older one (`PRE_BASIL_API_VERSION`). */
  apiVersion?: string;
  /**
   * Discounts applied (`discountObject`), each taking `amount` off: `discounts` lists their ids and
   * `total_discount_amounts` their amounts (as Stripe sends them: ids, never expanded in events); before basil the
   * invoice also embeds the first one as the single `discount` (with its `promotion_code` id).
   */
  discounts?: { discount: Obj; amount: number }[];
}

/**
 * A paid invoice as the version renders it. Basil+ (2025-03-31 on): no `charge`, `payment_intent`, `paid`,
 * `subscription` or `tax`; `parent`, `total_taxes`, and `payments` only when expanded. Before: those, and the
 * older `subscription_details` / `total_tax_amounts` instead of `parent` / `total_taxes`.
 */
export function invoiceObject(o: InvoiceInit = {}): Obj {
  const invoice = basilInvoiceObject(o);
  return isBasilOrLater(o.apiVersion ?? DEFAULT_API_VERSION) ? invoice : preBasilInvoice(invoice, o);
}

function basilInvoiceObject(o: InvoiceInit): Obj {
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
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: total,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 1,
    attempted: true,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: o.billingReason ?? (subscription ? 'subscription_cycle' : 'manual'),
    collection_method: 'charge_automatically',
    created,
    currency,
    custom_fields: null,
    customer: o.customer ?? newId('cus', 14),
    customer_account: null,
    customer_address: null,
    customer_email: o.email ?? null,
    customer_name: o.customerName ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: (o.discounts ?? []).map((d) => d.discount.id),
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_test/${randomString(40)}`,
    invoice_pdf: `https://pay.stripe.com/invoice/acct_test/${randomString(40)}/pdf`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: listOf(lines, `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: o.metadata ?? {},
    next_payment_attempt: null,
    number: `${randomString(8).toUpperCase()}-0001`,
    on_behalf_of: null,
    parent: subscription
      ? { quote_details: null, subscription_details: { metadata: o.subscriptionMetadata ?? {}, subscription }, type: 'subscription_details' }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created - 30 * 86400,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'paid',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: created, voided_at: null },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: null,
    total,
    total_discount_amounts: (o.discounts ?? []).map((d) => ({ amount: d.amount, discount: d.discount.id })),
    total_excluding_tax: subtotal,
    total_pretax_credit_amounts: [],
    total_taxes:
      tax === null
        ? []
        : [
            {
              amount: tax,
              tax_behavior: 'exclusive',
              tax_rate_details: { tax_rate: newId('txr') },
              taxability_reason: 'standard_rated',
              taxable_amount: subtotal,
              type: 'tax_rate_details',
            },
          ],
    webhooks_delivered_at: created,
  };
}

/** The same invoice as versions before 2025-03-31 render it (with the single `discount`, gone in Basil). */
function preBasilInvoice(basil: Obj, o: InvoiceInit): Obj {
  const { parent, total_taxes, total_pretax_credit_amounts, amount_overpaid, ...invoice } = basil;
  const subscription = parent?.subscription_details?.subscription ?? null;
  const taxes = total_taxes as Obj[];
  return {
    ...invoice,
    charge: o.charge === undefined ? newId('ch') : o.charge,
    discount: o.discounts?.[0]?.discount ?? null,
    lines: { ...invoice.lines, data: invoice.lines.data.map(preBasilLine) },
    paid: true,
    paid_out_of_band: false,
    payment_intent: o.paymentIntent === undefined ? newId('pi') : o.paymentIntent,
    quote: null,
    subscription,
    subscription_details: subscription ? { metadata: o.subscriptionMetadata ?? {} } : null,
    tax: o.tax ?? null,
    total_tax_amounts: taxes.map((t) => ({
      amount: t.amount,
      inclusive: false,
      tax_rate: t.tax_rate_details.tax_rate,
      taxability_reason: t.taxability_reason,
      taxable_amount: t.taxable_amount,
    })),
  };
}

function preBasilLine(line: Obj): Obj {
  const { parent, pricing, taxes, ...rest } = line;
  const item = parent?.subscription_item_details;
  return {
    ...rest,
    amount_excluding_tax: line.amount,
    invoice_item: null,
    plan: null,
    price: { id: pricing.price_details.price, object: 'price', product: pricing.price_details.product, unit_amount: line.amount / (line.quantity ?? 1) },
    proration: false,
    proration_details: { credited_items: null },
    subscription: item?.subscription ?? null,
    subscription_item: item?.subscription_item ?? null,
    tax_amounts: [],
    tax_rates: [],
    type: item ? 'subscription' : 'invoiceitem',
    unit_amount_excluding_tax: String(line.amount / (line.quantity ?? 1)),
  };
}

function invoiceLine(invoice: string, currency: string, subscription: string | null, created: number, l: NonNullable<InvoiceInit['lines']>[number]): Obj {
  const quantity = l.quantity ?? 1;
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
      ? {
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: { credited_items: null },
            subscription,
            subscription_item: newId('si', 14),
          },
          type: 'subscription_item_details',
        }
      : null,
    period: { end: created, start: created - 30 * 86400 },
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: l.price ?? newId('price'), product: l.product ?? newId('prod', 14) },
      type: 'price_details',
      unit_amount_decimal: String(l.amount / quantity),
    },
    quantity,
    quantity_decimal: String(quantity),
    subscription,
    subtotal: l.amount,
    taxes: [],
  };
}

export function disputeObject(
  o: {
    id?: string;
    charge?: string;
    paymentIntent?: string | null;
    amount?: number;
    currency?: string;
    status?: string;
    reason?: string;
    created?: number;
    metadata?: Obj;
  } = {},
): Obj {
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
    evidence: disputeEvidence(),
    evidence_details: {
      due_by: created + 7 * 86400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: o.metadata ?? {},
    payment_intent: o.paymentIntent === undefined ? newId('pi') : o.paymentIntent,
    payment_method_details: { card: { brand: 'visa', case_type: 'chargeback', network: 'visa', network_reason_code: '10.4' }, type: 'card' },
    reason: o.reason ?? 'fraudulent',
    status: o.status ?? 'lost',
  };
}

function disputeEvidence(): Obj {
  const fields = [
    'access_activity_log',
    'billing_address',
    'cancellation_policy',
    'cancellation_policy_disclosure',
    'cancellation_rebuttal',
    'customer_communication',
    'customer_email_address',
    'customer_name',
    'customer_purchase_ip',
    'customer_signature',
    'duplicate_charge_documentation',
    'duplicate_charge_explanation',
    'duplicate_charge_id',
    'product_description',
    'receipt',
    'refund_policy',
    'refund_policy_disclosure',
    'refund_refusal_explanation',
    'service_date',
    'service_documentation',
    'shipping_address',
    'shipping_carrier',
    'shipping_date',
    'shipping_documentation',
    'shipping_tracking_number',
    'uncategorized_file',
    'uncategorized_text',
  ];
  return { ...Object.fromEntries(fields.map((f) => [f, null])), enhanced_evidence: {} };
}

export interface CheckoutSessionInit {
  id?: string;
  clientReferenceId?: string | null;
  /** `null`: a guest session (`customer_creation: if_required`, Stripe's default in `payment` mode). */
  customer?: string | null;
  email?: string | null;
  mode?: 'payment' | 'subscription' | 'setup';
  paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required';
  amountTotal?: number | null;
  currency?: string | null;
  invoice?: string | null;
  subscription?: string | null;
  paymentIntent?: string | null;
  metadata?: Obj;
  created?: number;
  /** A promotion code the buyer entered: listed in `discounts`, its amount in `total_details.amount_discount`. */
  promotionCode?: { id: string; coupon: string; amountOff: number };
}

/**
 * A completed Checkout Session. A `payment`-mode session creates no customer unless asked (`customer_creation:
 * if_required`): its `customer` is null and the buyer is only in `customer_details`.
 */
export function checkoutSessionObject(o: CheckoutSessionInit = {}): Obj {
  const mode = o.mode ?? 'subscription';
  const created = o.created ?? nowSeconds();
  const amountTotal = o.amountTotal === undefined ? (mode === 'setup' ? null : 2000) : o.amountTotal;
  const customer = o.customer === undefined ? newId('cus', 14) : o.customer;
  const email = o.email ?? null;
  return {
    id: o.id ?? `cs_test_${randomString(58)}`,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: amountTotal,
    amount_total: amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: null,
    client_reference_id: o.clientReferenceId ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency: o.currency === undefined ? (mode === 'setup' ? null : 'usd') : o.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer,
    customer_account: null,
    customer_creation: mode === 'payment' && customer === null ? 'if_required' : 'always',
    customer_details:
      mode === 'setup' && !email
        ? null
        : { address: null, business_name: null, email, individual_name: null, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
    customer_email: null,
    discounts: o.promotionCode ? [{ coupon: o.promotionCode.coupon, promotion_code: o.promotionCode.id }] : [],
    expires_at: created + 86400,
    integration_identifier: null,
    invoice: o.invoice === undefined ? (mode === 'subscription' ? newId('in') : null) : o.invoice,
    invoice_creation:
      mode === 'payment'
        ? {
            enabled: false,
            invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null },
          }
        : null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: o.metadata ?? {},
    mode,
    origin_context: null,
    payment_intent: o.paymentIntent === undefined ? (mode === 'payment' ? newId('pi') : null) : o.paymentIntent,
    payment_link: null,
    payment_method_collection: mode === 'payment' ? null : 'always',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_status: o.paymentStatus ?? (mode === 'setup' ? 'no_payment_required' : 'paid'),
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: mode === 'setup' ? newId('seti') : null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'complete',
    submit_type: null,
    subscription: o.subscription === undefined ? (mode === 'subscription' ? newId('sub') : null) : o.subscription,
    success_url: 'https://example.com/success',
    total_details: { amount_discount: o.promotionCode?.amountOff ?? 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: null,
    wallet_options: null,
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
  const payment = paymentIntent ? { type: 'payment_intent', payment_intent: paymentIntent } : { type: 'charge', charge: o.charge ?? newId('ch') };
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
