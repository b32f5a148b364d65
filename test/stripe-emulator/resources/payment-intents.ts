import { invalidRequest, missingParam, noSuch, StripeApiError } from '../errors.js';
import { chargeObject, paymentErrorObject, paymentIntentObject } from '../objects/payments.js';
import { randomString } from '../ids.js';
import { checkChargeAmount } from '../amount-rules.js';
import { paginate } from '../list.js';
import { allowOnly, mergeMetadata, optBool, optEnum, optHash, optInt, optString, requireCurrency } from '../params.js';
import { paymentMethodChoice, requireAcceptedType, requireReturnUrl } from '../payment-method-types.js';
import type { Ctx, Route } from '../router.js';
import type { Obj, Params } from '../types.js';
import { requireCustomer } from './customers.js';
import { requireTransferDestination } from './accounts.js';
import { cardOf, resolvePaymentMethod } from './payment-methods.js';
import type { TestCard } from '../test-cards.js';

const CREATE_PARAMS = [
  'allowed_payment_method_types',
  'amount',
  'application_fee_amount',
  'automatic_payment_methods',
  'capture_method',
  'confirm',
  'confirmation_method',
  'confirmation_token',
  'currency',
  'customer',
  'customer_account',
  'description',
  'error_on_requires_action',
  'excluded_payment_method_types',
  'hooks',
  'mandate',
  'mandate_data',
  'metadata',
  'off_session',
  'on_behalf_of',
  'payment_details',
  'payment_method',
  'payment_method_configuration',
  'payment_method_data',
  'payment_method_options',
  'payment_method_types',
  'radar_options',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'shipping',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'transfer_data',
  'transfer_group',
  'use_stripe_sdk',
];
const CONFIRM_PARAMS = [
  'allowed_payment_method_types',
  'capture_method',
  'confirmation_token',
  'error_on_requires_action',
  'mandate',
  'mandate_data',
  'off_session',
  'payment_method',
  'payment_method_data',
  'payment_method_options',
  'payment_method_types',
  'radar_options',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'shipping',
  'use_stripe_sdk',
];
function validAmount(params: Params, currency: string): number {
  const amount = optInt(params, 'amount');
  if (amount === undefined) throw missingParam('amount');
  if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'amount', 'parameter_invalid_integer');
  if (amount > 99_999_999) throw invalidRequest('Amount must be no more than $999,999.99', 'amount', 'amount_too_large');
  checkChargeAmount(amount, currency);
  return amount;
}

/** `off_session` accepts a boolean, or `one_off` / `recurring`. */
function offSession(params: Params): boolean {
  const value = params.off_session;
  if (value === 'one_off' || value === 'recurring') return true;
  return optBool(params, 'off_session') ?? false;
}

function requireIntent(ctx: Ctx, id: string): Obj {
  const intent = ctx.state.get('payment_intents', id, ctx.account);
  if (!intent) throw noSuch('payment_intent', id);
  return intent;
}

function create(ctx: Ctx): Obj {
  const { params } = ctx;
  allowOnly(params, CREATE_PARAMS);
  if (params.amount === undefined) throw missingParam('amount');
  const currency = requireCurrency(params);
  const amount = validAmount(params, currency);
  const confirm = optBool(params, 'confirm') ?? false;
  const isOffSession = offSession(params);
  if (params.off_session !== undefined && !confirm) {
    throw invalidRequest('You can only set `off_session` when `confirm` is also set to `true`.', 'off_session');
  }
  const customerId = optString(params, 'customer');
  if (customerId) requireCustomer(ctx, customerId, 'customer');
  const transfer = optHash(params, 'transfer_data');
  const destination = transfer ? optString(transfer, 'destination', 'transfer_data[destination]') : undefined;
  if (transfer && !destination) throw missingParam('transfer_data[destination]');
  const transferAmount = transfer ? optInt(transfer, 'amount', 'transfer_data[amount]') : undefined;
  // The refusal is Stripe's (a destination charge cannot transfer more than it charges); the wording is ours.
  if (transferAmount !== undefined && (transferAmount < 0 || transferAmount > amount)) {
    throw invalidRequest('transfer_data[amount] must be a non-negative integer no greater than the PaymentIntent amount.', 'transfer_data[amount]');
  }
  if (destination) requireTransferDestination(ctx, destination);
  const applicationFee = optInt(params, 'application_fee_amount');
  if (applicationFee !== undefined && applicationFee > amount) {
    throw invalidRequest('The application fee amount cannot be greater than the amount.', 'application_fee_amount');
  }
  const setupFutureUsage = optEnum(params, 'setup_future_usage', ['on_session', 'off_session'] as const);
  optEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
  const metadata = mergeMetadata({}, params);
  const methods = paymentMethodChoice(params, ctx.apiVersion);
  const pmId = optString(params, 'payment_method');
  if (confirm && !pmId) {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      'payment_method',
      'payment_intent_unexpected_state',
    );
  }
  const pm = pmId ? resolvePaymentMethod(ctx, pmId, 'payment_method') : undefined;
  const intent = paymentIntentObject({
    amount,
    currency,
    customer: customerId ?? null,
    paymentMethod: pm?.id ?? null,
    status: pm ? 'requires_confirmation' : 'requires_payment_method',
    destination: destination ?? null,
    transferAmount: transferAmount ?? null,
    applicationFeeAmount: applicationFee ?? null,
    metadata,
    description: optString(params, 'description') ?? null,
    latestCharge: null,
    receiptEmail: optString(params, 'receipt_email') ?? null,
    setupFutureUsage: setupFutureUsage ?? null,
    paymentMethodTypes: methods.types,
    allowedPaymentMethodTypes: methods.allowed,
    automaticPaymentMethods: methods.automatic,
    apiVersion: ctx.apiVersion,
  });
  if (pm) requireAcceptedType(intent, pm, 'payment_method');
  ctx.state.put('payment_intents', intent, ctx.account);
  ctx.emit('payment_intent.created', intent);
  if (confirm) {
    requireReturnUrl(intent, params, 'PaymentIntent', `https://dashboard.stripe.com/test/logs/${ctx.requestId}`);
    confirmIntent(ctx, intent, isOffSession || optBool(params, 'error_on_requires_action') === true);
  }
  return intent;
}

/** Runs the payment: success, a 402 card decline, or 3DS (off-session: declined with authentication_required). */
export function confirmIntent(ctx: Ctx, intent: Obj, failOnAction: boolean): void {
  const pm = ctx.state.get('payment_methods', intent.payment_method)!;
  const card = cardOf(ctx.state, pm.id);
  const outcome = card.outcome;
  if (outcome.kind === 'succeed') {
    const charge = ctx.state.put('charges', chargeFor(intent, pm, card, ctx.apiVersion, 'succeeded'), ctx.account);
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, latest_charge: charge.id, last_payment_error: null, next_action: null });
    ctx.emit('charge.succeeded', charge);
    ctx.emit('payment_intent.succeeded', intent);
    return;
  }
  if (outcome.kind === 'authentication_required' && !failOnAction) {
    Object.assign(intent, {
      status: 'requires_action',
      next_action: {
        type: 'use_stripe_sdk',
        use_stripe_sdk: {
          type: 'three_d_secure_redirect',
          stripe_js: `https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_test&payment_intent=${intent.id}`,
          source: `src_${randomString(24)}`,
        },
      },
    });
    ctx.emit('payment_intent.requires_action', intent);
    return;
  }
  const failure: Failure =
    outcome.kind === 'decline'
      ? outcome
      : {
          code: 'authentication_required',
          declineCode: 'authentication_required',
          message: 'Your card was declined. This transaction requires authentication.',
        };
  const charge = ctx.state.put('charges', chargeFor(intent, pm, card, ctx.apiVersion, 'failed', failure), ctx.account);
  const error = paymentErrorObject({ ...failure, paymentMethod: structuredClone(pm), charge: charge.id });
  Object.assign(intent, { status: 'requires_payment_method', payment_method: null, latest_charge: charge.id, last_payment_error: error, next_action: null });
  ctx.emit('charge.failed', charge);
  ctx.emit('payment_intent.payment_failed', intent);
  throw new StripeApiError(
    402,
    {
      type: 'card_error',
      code: failure.code,
      decline_code: failure.declineCode,
      message: failure.message,
      charge: charge.id,
      doc_url: error.doc_url,
      payment_intent: structuredClone(intent),
      payment_method: structuredClone(pm),
      request_log_url: `https://dashboard.stripe.com/test/logs/${ctx.requestId}`,
    },
    true,
  );
}

type Failure = { code: string; declineCode: string; message: string };

function chargeFor(intent: Obj, pm: Obj, card: TestCard, apiVersion: string, status: 'succeeded' | 'failed', failure?: Failure): Obj {
  return chargeObject({
    apiVersion,
    amount: intent.amount,
    currency: intent.currency,
    customer: intent.customer,
    email: intent.receipt_email,
    paymentIntent: intent.id,
    paymentMethod: pm.id,
    card,
    status,
    failure: failure ?? null,
    destination: intent.transfer_data?.destination ?? null,
    transferAmount: intent.transfer_data?.amount ?? null,
    metadata: { ...intent.metadata },
    description: intent.description,
  });
}

function confirm(ctx: Ctx, id: string): Obj {
  allowOnly(ctx.params, CONFIRM_PARAMS);
  if (ctx.params.payment_method_types !== undefined || ctx.params.allowed_payment_method_types !== undefined) paymentMethodChoice(ctx.params, ctx.apiVersion);
  const intent = requireIntent(ctx, id);
  if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(intent.status)) {
    throw invalidRequest(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.`,
      undefined,
      'payment_intent_unexpected_state',
    );
  }
  const pmId = optString(ctx.params, 'payment_method');
  if (pmId) {
    const pm = resolvePaymentMethod(ctx, pmId, 'payment_method');
    requireAcceptedType(intent, pm, 'payment_method');
    intent.payment_method = pm.id;
  }
  if (!intent.payment_method) {
    throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method.", 'payment_method', 'payment_intent_unexpected_state');
  }
  requireReturnUrl(intent, ctx.params, 'PaymentIntent', `https://dashboard.stripe.com/test/logs/${ctx.requestId}`);
  confirmIntent(ctx, intent, offSession(ctx.params) || optBool(ctx.params, 'error_on_requires_action') === true);
  return intent;
}

export const paymentIntentRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/payment_intents', handler: create },
  { method: 'GET', pattern: '/v1/payment_intents/:id', handler: (ctx, id) => requireIntent(ctx, id) },
  {
    method: 'POST',
    pattern: '/v1/payment_intents/:id',
    handler: (ctx, id) => {
      allowOnly(ctx.params, ['description', 'metadata', 'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group']);
      const intent = requireIntent(ctx, id);
      intent.metadata = mergeMetadata(intent.metadata, ctx.params);
      for (const field of ['description', 'receipt_email'] as const) {
        const value = optString(ctx.params, field);
        if (value !== undefined) intent[field] = value || null;
      }
      return intent;
    },
  },
  { method: 'POST', pattern: '/v1/payment_intents/:id/confirm', handler: confirm },
  {
    method: 'POST',
    pattern: '/v1/payment_intents/:id/cancel',
    handler: (ctx, id) => {
      allowOnly(ctx.params, ['cancellation_reason']);
      const intent = requireIntent(ctx, id);
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw invalidRequest(
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
          undefined,
          'payment_intent_unexpected_state',
        );
      }
      Object.assign(intent, {
        status: 'canceled',
        canceled_at: Math.floor(Date.now() / 1000),
        cancellation_reason: optString(ctx.params, 'cancellation_reason') ?? null,
      });
      ctx.emit('payment_intent.canceled', intent);
      return intent;
    },
  },
  {
    method: 'GET',
    pattern: '/v1/payment_intents',
    handler: (ctx) => {
      allowOnly(ctx.params, ['created', 'customer', 'customer_account', 'ending_before', 'limit', 'starting_after']);
      const customer = optString(ctx.params, 'customer');
      return paginate(
        ctx.state.list('payment_intents', ctx.account),
        ctx.params,
        '/v1/payment_intents',
        'payment_intent',
        (pi) => !customer || pi.customer === customer,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1/charges/:id',
    handler: (ctx, id) =>
      ctx.state.get('charges', id, ctx.account) ??
      (() => {
        throw noSuch('charge', id);
      })(),
  },
  {
    method: 'GET',
    pattern: '/v1/charges',
    handler: (ctx) => {
      allowOnly(ctx.params, ['created', 'customer', 'ending_before', 'limit', 'payment_intent', 'starting_after', 'transfer_group']);
      const { customer, payment_intent: pi } = ctx.params;
      return paginate(
        ctx.state.list('charges', ctx.account),
        ctx.params,
        '/v1/charges',
        'charge',
        (c) => (!customer || c.customer === customer) && (!pi || c.payment_intent === pi),
      );
    },
  },
];
