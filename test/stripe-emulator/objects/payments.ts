import { newId, nowSeconds, randomString } from '../ids.js';
import { TEST_CARDS, type TestCard } from '../test-cards.js';
import type { Obj } from '../types.js';
import { DEFAULT_API_VERSION, isBasilOrLater } from '../versions.js';
import { listOf, nullAddress } from './shared.js';

/** `automatic_payment_methods` as an intent shows it: on (dynamic payment methods), or null when types were listed. */
export type AutomaticPaymentMethods = { enabled: boolean; allow_redirects?: 'always' | 'never' } | null;

export interface PaymentIntentInit {
  id?: string;
  amount?: number;
  currency?: string;
  customer?: string | null;
  paymentMethod?: string | null;
  status?: string;
  destination?: string | null;
  transferAmount?: number | null;
  applicationFeeAmount?: number | null;
  metadata?: Obj;
  description?: string | null;
  latestCharge?: string | null;
  lastPaymentError?: Obj | null;
  receiptEmail?: string | null;
  setupFutureUsage?: string | null;
  paymentMethodTypes?: string[];
  allowedPaymentMethodTypes?: string[] | null;
  automaticPaymentMethods?: AutomaticPaymentMethods;
  created?: number;
  /** Versions before 2025-03-31 also show `invoice`. */
  apiVersion?: string;
}

export function paymentIntentObject(o: PaymentIntentInit = {}): Obj {
  const id = o.id ?? newId('pi');
  const amount = o.amount ?? 2000;
  const status = o.status ?? 'succeeded';
  const intent: Obj = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: o.allowedPaymentMethodTypes ?? null,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: status === 'succeeded' ? amount : 0,
    application: null,
    application_fee_amount: o.applicationFeeAmount ?? null,
    automatic_payment_methods: o.automaticPaymentMethods ?? null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${id}_secret_${randomString(25)}`,
    confirmation_method: 'automatic',
    created: o.created ?? nowSeconds(),
    currency: o.currency ?? 'usd',
    customer: o.customer ?? null,
    customer_account: null,
    description: o.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: o.lastPaymentError ?? null,
    latest_charge: o.latestCharge === undefined ? (status === 'succeeded' ? newId('ch') : null) : o.latestCharge,
    livemode: false,
    managed_payments: null,
    metadata: o.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: o.paymentMethod === undefined ? newId('pm') : o.paymentMethod,
    payment_method_configuration_details: o.automaticPaymentMethods?.enabled ? { id: 'pmc_1EmulatorDefault', parent: null } : null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: o.paymentMethodTypes ?? ['card'],
    payment_record: null,
    processing: null,
    receipt_email: o.receiptEmail ?? null,
    review: null,
    setup_future_usage: o.setupFutureUsage ?? null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: o.destination ? { ...(o.transferAmount != null ? { amount: o.transferAmount } : {}), destination: o.destination } : null,
    transfer_group: o.destination ? `group_${id}` : null,
  };
  if (!isBasilOrLater(o.apiVersion ?? DEFAULT_API_VERSION)) intent.invoice = null;
  return intent;
}

export interface ChargeInit {
  id?: string;
  amount?: number;
  amountRefunded?: number;
  currency?: string;
  customer?: string | null;
  email?: string | null;
  /** Pre-Basil versions only: the charge's invoice (Basil+ charges have no `invoice` property at all). */
  invoice?: string | null;
  paymentIntent?: string | null;
  paymentMethod?: string | null;
  card?: TestCard;
  status?: 'succeeded' | 'failed' | 'pending';
  /** false: authorized only (`capture_method: manual`), not captured yet. */
  captured?: boolean;
  /** Defaults to the amount once captured, 0 before. */
  amountCaptured?: number;
  failure?: { code: string; declineCode: string; message: string } | null;
  destination?: string | null;
  transferAmount?: number | null;
  metadata?: Obj;
  description?: string | null;
  refunds?: Obj[];
  created?: number;
  /** The shape follows the version: Basil+ (the default) has no `invoice`; older ones say `invoice: null` when standalone. */
  apiVersion?: string;
}

export function chargeObject(o: ChargeInit = {}): Obj {
  const id = o.id ?? newId('ch');
  const amount = o.amount ?? 2000;
  const status = o.status ?? 'succeeded';
  const refunded = o.amountRefunded ?? 0;
  const card = o.card ?? TEST_CARDS.pm_card_visa;
  const paid = status === 'succeeded';
  const charge: Obj = {
    id,
    object: 'charge',
    amount,
    amount_captured: paid && o.captured !== false ? (o.amountCaptured ?? amount) : 0,
    amount_refunded: refunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: paid && o.captured !== false ? newId('txn') : null,
    billing_details: { address: nullAddress(), email: o.email ?? null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'PARTNERFLOW',
    captured: paid && o.captured !== false,
    created: o.created ?? nowSeconds(),
    currency: o.currency ?? 'usd',
    customer: o.customer ?? null,
    description: o.description ?? null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: o.failure?.code ?? null,
    failure_message: o.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: o.metadata ?? {},
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      ...(o.failure
        ? {
            network_status: 'declined_by_network',
            reason: o.failure.declineCode,
            risk_level: 'normal',
            seller_message: 'The bank did not return any further details with this decline.',
            type: 'issuer_declined',
          }
        : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' }),
    },
    paid,
    payment_intent: o.paymentIntent ?? null,
    payment_method: o.paymentMethod ?? newId('pm'),
    payment_method_details: { card: chargeCardDetails(card, paid ? amount : null), type: 'card' },
    receipt_email: o.email ?? null,
    receipt_number: null,
    receipt_url: paid ? `https://pay.stripe.com/receipts/payment/${randomString(40)}` : null,
    refunded: refunded > 0 && refunded >= amount,
    ...(o.refunds ? { refunds: listOf(o.refunds, `/v1/charges/${id}/refunds`) } : {}),
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    ...(o.destination && paid ? { transfer: newId('tr') } : {}),
    transfer_data: o.destination ? { amount: o.transferAmount ?? null, destination: o.destination } : null,
    transfer_group: o.destination && o.paymentIntent ? `group_${o.paymentIntent}` : null,
  };
  if (!isBasilOrLater(o.apiVersion ?? DEFAULT_API_VERSION)) charge.invoice = o.invoice ?? null;
  return charge;
}

/** `payment_method_details.card` of a charge (not the same fields as a PaymentMethod's `card`). */
function chargeCardDetails(card: TestCard, authorized: number | null): Obj {
  return {
    amount_authorized: authorized,
    authorization_code: authorized === null ? null : randomString(6).toUpperCase(),
    brand: card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country: 'US',
    electronic_commerce_indicator: null,
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 3,
    fingerprint: `fp${card.last4}${card.brand.slice(0, 4)}`,
    funding: card.funding,
    installments: null,
    last4: card.last4,
    mandate: null,
    network: card.brand,
    network_transaction_id: authorized === null ? null : randomString(15),
    regulated_status: 'unregulated',
    three_d_secure: null,
    transaction_link_id: null,
    wallet: null,
  };
}

export function refundObject(o: {
  id?: string;
  amount: number;
  charge: string;
  currency?: string;
  customer?: string | null;
  paymentIntent?: string | null;
  paymentMethod?: string | null;
  reason?: string | null;
  created?: number;
  metadata?: Obj;
}): Obj {
  return {
    id: o.id ?? newId('re'),
    object: 'refund',
    amount: o.amount,
    balance_transaction: newId('txn'),
    charge: o.charge,
    created: o.created ?? nowSeconds(),
    currency: o.currency ?? 'usd',
    customer: o.customer ?? null,
    customer_account: null,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: o.metadata ?? {},
    payment_intent: o.paymentIntent ?? null,
    payment_method: o.paymentMethod ?? null,
    reason: o.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

export interface SetupIntentInit {
  id?: string;
  customer?: string | null;
  usage?: string;
  paymentMethodTypes?: string[];
  allowedPaymentMethodTypes?: string[] | null;
  automaticPaymentMethods?: AutomaticPaymentMethods;
  paymentMethod?: string | null;
  status?: string;
  metadata?: Obj;
  description?: string | null;
  created?: number;
}

export function setupIntentObject(o: SetupIntentInit = {}): Obj {
  const id = o.id ?? newId('seti');
  return {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: o.allowedPaymentMethodTypes ?? null,
    application: null,
    automatic_payment_methods: o.automaticPaymentMethods ?? null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${randomString(32)}`,
    created: o.created ?? nowSeconds(),
    customer: o.customer ?? null,
    description: o.description ?? null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: o.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: o.paymentMethod ?? null,
    payment_method_configuration_details: o.automaticPaymentMethods?.enabled ? { id: 'pmc_1EmulatorDefault', parent: null } : null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: o.paymentMethodTypes ?? ['card'],
    single_use_mandate: null,
    status: o.status ?? 'requires_payment_method',
    usage: o.usage ?? 'off_session',
  };
}

export function paymentErrorObject(o: { code: string; declineCode?: string; message: string; paymentMethod?: Obj; charge?: string | null }): Obj {
  return {
    ...(o.charge ? { charge: o.charge } : {}),
    code: o.code,
    ...(o.declineCode ? { decline_code: o.declineCode } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${o.code.replace(/_/g, '-')}`,
    message: o.message,
    ...(o.paymentMethod ? { payment_method: o.paymentMethod } : {}),
    type: 'card_error',
  };
}
