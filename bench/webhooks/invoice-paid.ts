import { randomId } from '../support/payloads.js';

/** An `invoice.paid` event shaped like Stripe's (the API version the stripe SDK pins), about the size a real one has. */
export function invoicePaidEvent(o: { customer: string; email: string | null; amount: number; tax?: number; currency?: string; created?: number }): {
  id: string;
  invoiceId: string;
  body: string;
} {
  const id = randomId('evt');
  const invoiceId = randomId('in');
  const created = o.created ?? Math.floor(Date.now() / 1000);
  const tax = o.tax ?? 0;
  const currency = o.currency ?? 'usd';
  const subscription = randomId('sub');
  const line = {
    id: randomId('il'),
    object: 'line_item',
    amount: o.amount - tax,
    currency,
    description: `1 × Pro plan (at $${((o.amount - tax) / 100).toFixed(2)} / month)`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription,
        subscription_item: randomId('si', 14),
      },
      type: 'subscription_item_details',
    },
    period: { end: created, start: created - 30 * 86400 },
    pretax_credit_amounts: [],
    pricing: { price_details: { price: randomId('price'), product: randomId('prod', 14) }, type: 'price_details', unit_amount_decimal: String(o.amount - tax) },
    quantity: 1,
    taxes: [],
  };
  const invoice = {
    id: invoiceId,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Bench Inc.',
    amount_due: o.amount,
    amount_overpaid: 0,
    amount_paid: o.amount,
    amount_remaining: 0,
    amount_shipping: 0,
    attempt_count: 1,
    attempted: true,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    billing_reason: 'subscription_cycle',
    charge: randomId('ch'),
    collection_method: 'charge_automatically',
    created,
    currency,
    customer: o.customer,
    customer_email: o.email,
    customer_name: null,
    default_payment_method: null,
    description: null,
    discounts: [],
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_bench/${randomId('test', 40)}`,
    invoice_pdf: `https://pay.stripe.com/invoice/acct_bench/${randomId('test', 40)}/pdf`,
    last_finalization_error: null,
    lines: { object: 'list', data: [line], has_more: false, total_count: 1, url: `/v1/invoices/${invoiceId}/lines` },
    livemode: false,
    metadata: {},
    number: `BENCH-${created}`,
    parent: { quote_details: null, subscription_details: { metadata: {}, subscription }, type: 'subscription_details' },
    payment_intent: randomId('pi'),
    period_end: created,
    period_start: created - 30 * 86400,
    starting_balance: 0,
    status: 'paid',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: created, voided_at: null },
    subscription,
    subtotal: o.amount - tax,
    subtotal_excluding_tax: o.amount - tax,
    tax: tax || null,
    total: o.amount,
    total_discount_amounts: [],
    total_excluding_tax: o.amount - tax,
    total_pretax_credit_amounts: [],
    total_taxes: tax
      ? [
          {
            amount: tax,
            tax_behavior: 'exclusive',
            tax_rate_details: { tax_rate: randomId('txr') },
            taxability_reason: 'standard_rated',
            taxable_amount: o.amount - tax,
            type: 'tax_rate_details',
          },
        ]
      : [],
    webhooks_delivered_at: created,
  };
  const event = {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    data: { object: invoice },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'invoice.paid',
  };
  return { id, invoiceId, body: JSON.stringify(event) };
}
