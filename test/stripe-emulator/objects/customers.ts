import { newId, nowSeconds, randomString } from '../ids.js';
import type { TestCard } from '../test-cards.js';
import type { Obj } from '../types.js';
import { nullAddress } from './shared.js';

export function customerObject(
  o: { id?: string; email?: string | null; name?: string | null; description?: string | null; phone?: string | null; metadata?: Obj; created?: number } = {},
): Obj {
  return {
    id: o.id ?? newId('cus', 14),
    object: 'customer',
    address: null,
    balance: 0,
    created: o.created ?? nowSeconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: o.description ?? null,
    discount: null,
    email: o.email ?? null,
    invoice_prefix: randomString(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: o.metadata ?? {},
    name: o.name ?? null,
    next_invoice_sequence: 1,
    phone: o.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function paymentMethodObject(card: TestCard, o: { id?: string; customer?: string | null; created?: number } = {}): Obj {
  return {
    id: o.id ?? newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: nullAddress(), email: null, name: null, phone: null, tax_id: null },
    card: cardDetails(card),
    created: o.created ?? nowSeconds(),
    customer: o.customer ?? null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

export function cardDetails(card: TestCard): Obj {
  return {
    brand: card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'unchecked' },
    country: 'US',
    display_brand: card.brand,
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 3,
    fingerprint: `fp${card.last4}${card.brand.slice(0, 4)}`,
    funding: card.funding,
    generated_from: null,
    last4: card.last4,
    networks: { available: [card.brand], preferred: null },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
}

/** A US bank account PaymentMethod (ACH Direct Debit), e.g. one Link or the Payment Element saved before intents were limited to cards. */
export function bankAccountPaymentMethodObject(o: { id?: string; customer?: string | null; created?: number } = {}): Obj {
  return {
    id: o.id ?? newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: nullAddress(), email: null, name: 'Acme Corp', phone: null, tax_id: null },
    created: o.created ?? nowSeconds(),
    customer: o.customer ?? null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'us_bank_account',
    us_bank_account: {
      account_holder_type: 'company',
      account_type: 'checking',
      bank_name: 'STRIPE TEST BANK',
      financial_connections_account: null,
      fingerprint: `fpba${randomString(12)}`,
      last4: '6789',
      networks: { preferred: 'ach', supported: ['ach'] },
      routing_number: '110000000',
      status_details: null,
    },
  };
}
