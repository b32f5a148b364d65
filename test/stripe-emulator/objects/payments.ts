import { newId, nowSeconds, randomString } from '../ids.js';
import { TEST_CARDS, type TestCard } from '../test-cards.js';
import type { Obj } from '../types.js';
import { cardDetails } from './customers.js';
import { listOf, nullAddress } from './shared.js';

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
  created?: number;
}

export function paymentIntentObject(o: PaymentIntentInit = {}): Obj {
  const id = o.id ?? newId('pi');
  const amount = o.amount ?? 2000;
  const status = o.status ?? 'succeeded';
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: o.allowedPaymentMethodTypes ?? null,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: status === 'succeeded' ? amount : 0,
    application: null,
    application_fee_amount: o.applicationFeeAmount ?? null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${id}_secret_${randomString(25)}`,
    confirmation_method: 'automatic',
    created: o.created ?? nowSeconds(),
    currency: o.currency ?? 'usd',
    customer: o.customer ?? null,
    description: o.description ?? null,
    last_payment_error: o.lastPaymentError ?? null,
    latest_charge: o.latestCharge === undefined ? (status === 'succeeded' ? newId('ch') : null) : o.latestCharge,
    livemode: false,
    metadata: o.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: o.paymentMethod === undefined ? newId('pm') : o.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: o.paymentMethodTypes ?? ['card'],
    processing: null,
    receipt_email: o.receiptEmail ?? null,
    review: null,
    setup_future_usage: o.setupFutureUsage ?? null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: o.destination ? { destination: o.destination, ...(o.transferAmount != null ? { amount: o.transferAmount } : {}) } : null,
    transfer_group: o.destination ? `group_${id}` : null,
  };
}

export interface ChargeInit {
  id?: string;
  amount?: number;
  amountRefunded?: number;
  currency?: string;
  customer?: string | null;
  email?: string | null;
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
  metadata?: Obj;
  description?: string | null;
  refunds?: Obj[];
  created?: number;
  /** API version ≥ 2025-03-31 ("basil") shape: no `invoice` property at all (the old shape has `invoice: null` when standalone). */
  basil?: boolean;
}

export function chargeObject(o: ChargeInit = {}): Obj {
  const charge = legacyChargeObject(o);
  if (o.basil) delete charge.invoice;
  return charge;
}

function legacyChargeObject(o: ChargeInit): Obj {
  const id = o.id ?? newId('ch');
  const amount = o.amount ?? 2000;
  const status = o.status ?? 'succeeded';
  const refunded = o.amountRefunded ?? 0;
  const card = o.card ?? TEST_CARDS.pm_card_visa;
  const paid = status === 'succeeded';
  return {
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
    invoice: o.invoice ?? null,
    livemode: false,
    metadata: o.metadata ?? {},
    on_behalf_of: null,
    outcome: o.failure
      ? { network_status: 'declined_by_network', reason: o.failure.declineCode, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
      : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
    paid,
    payment_intent: o.paymentIntent ?? null,
    payment_method: o.paymentMethod ?? newId('pm'),
    payment_method_details: { card: { ...cardDetails(card), network: card.brand }, type: 'card' },
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
    transfer_data: o.destination ? { amount: null, destination: o.destination } : null,
    transfer_group: o.destination && o.paymentIntent ? `group_${o.paymentIntent}` : null,
  };
}

export function refundObject(o: { id?: string; amount: number; charge: string; currency?: string; paymentIntent?: string | null; reason?: string | null; created?: number; metadata?: Obj }): Obj {
  return {
    id: o.id ?? newId('re'),
    object: 'refund',
    amount: o.amount,
    balance_transaction: newId('txn'),
    charge: o.charge,
    created: o.created ?? nowSeconds(),
    currency: o.currency ?? 'usd',
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: o.metadata ?? {},
    payment_intent: o.paymentIntent ?? null,
    reason: o.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

export function setupIntentObject(o: { id?: string; customer?: string | null; usage?: string; paymentMethodTypes?: string[]; allowedPaymentMethodTypes?: string[] | null; paymentMethod?: string | null; status?: string; metadata?: Obj; description?: string | null; created?: number } = {}): Obj {
  const id = o.id ?? newId('seti');
  return {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: o.allowedPaymentMethodTypes ?? null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${randomString(32)}`,
    created: o.created ?? nowSeconds(),
    customer: o.customer ?? null,
    description: o.description ?? null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: o.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: o.paymentMethod ?? null,
    payment_method_configuration_details: null,
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
