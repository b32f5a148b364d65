import { invalidRequest, noSuch, StripeApiError } from '../errors.js';
import { recordEvent } from '../events.js';
import { paymentErrorObject, setupIntentObject } from '../objects/payments.js';
import { allowOnly, mergeMetadata, optBool, optEnum, optString } from '../params.js';
import { paymentMethodChoice, requireAcceptedType, requireReturnUrl } from '../payment-method-types.js';
import type { Ctx, Route } from '../router.js';
import type { EmulatorState } from '../state.js';
import type { Obj, StripeEvent } from '../types.js';
import { requireCustomer } from './customers.js';
import { attachPaymentMethod, attachToCustomer, cardOf, materialiseTestCard, resolvePaymentMethod, verifyCard } from './payment-methods.js';

const CREATE_PARAMS = [
  'allowed_payment_method_types',
  'attach_to_self',
  'automatic_payment_methods',
  'confirm',
  'confirmation_token',
  'customer',
  'customer_account',
  'description',
  'excluded_payment_method_types',
  'flow_directions',
  'mandate_data',
  'metadata',
  'on_behalf_of',
  'payment_method',
  'payment_method_configuration',
  'payment_method_data',
  'payment_method_options',
  'payment_method_types',
  'return_url',
  'single_use',
  'usage',
  'use_stripe_sdk',
];

function requireSetupIntent(ctx: Ctx, id: string): Obj {
  const intent = ctx.state.get('setup_intents', id, ctx.account);
  if (!intent) throw noSuch('setup_intent', id);
  return intent;
}

/** Stripe.js confirms with the publishable key and the intent's client secret, and says which type it expects. */
function requireClientSecret(ctx: Ctx, intent: Obj): void {
  const secret = optString(ctx.params, 'client_secret');
  if (secret !== intent.client_secret) {
    throw invalidRequest(`The client_secret provided does not match the client_secret associated with the SetupIntent.`, 'client_secret');
  }
  delete ctx.params.client_secret;
  const expected = optString(ctx.params, 'expected_payment_method_type');
  delete ctx.params.expected_payment_method_type;
  if (expected !== undefined && !intent.payment_method_types.includes(expected)) {
    throw invalidRequest(
      `The PaymentMethod type \`${expected}\` is not allowed by this SetupIntent: ${intent.payment_method_types.join(', ')}.`,
      'expected_payment_method_type',
    );
  }
}

function create(ctx: Ctx): Obj {
  const { params } = ctx;
  allowOnly(params, CREATE_PARAMS);
  const customer = optString(params, 'customer');
  if (customer) requireCustomer(ctx, customer, 'customer');
  const usage = optEnum(params, 'usage', ['on_session', 'off_session'] as const) ?? 'off_session';
  const confirm = optBool(params, 'confirm') ?? false;
  const methods = paymentMethodChoice(params, ctx.apiVersion);
  const pmId = optString(params, 'payment_method');
  const pm = pmId ? resolvePaymentMethod(ctx, pmId, 'payment_method') : undefined;
  const intent = setupIntentObject({
    customer: customer ?? null,
    usage,
    paymentMethodTypes: methods.types,
    allowedPaymentMethodTypes: methods.allowed,
    automaticPaymentMethods: methods.automatic,
    paymentMethod: pm?.id ?? null,
    status: pm ? 'requires_confirmation' : 'requires_payment_method',
    metadata: mergeMetadata({}, params),
    description: optString(params, 'description') ?? null,
  });
  if (pm) requireAcceptedType(intent, pm, 'payment_method');
  ctx.state.put('setup_intents', intent, ctx.account);
  ctx.emit('setup_intent.created', intent);
  if (confirm && pm) {
    requireReturnUrl(intent, params, 'SetupIntent', `https://dashboard.stripe.com/test/logs/${ctx.requestId}`);
    confirmSetup(ctx, intent, pm);
  }
  return intent;
}

function confirmSetup(ctx: Ctx, intent: Obj, pm: Obj): void {
  const card = cardOf(ctx.state, pm.id);
  if (card.outcome.kind === 'authentication_required') {
    Object.assign(intent, { status: 'requires_action', next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } } });
    ctx.emit('setup_intent.requires_action', intent);
    return;
  }
  try {
    if (intent.customer) attachPaymentMethod(ctx, pm, intent.customer);
    else verifyCard(ctx.state, pm, ctx.requestId);
  } catch (err) {
    if (!(err instanceof StripeApiError) || err.status !== 402) throw err;
    const error = paymentErrorObject({
      code: err.body.code!,
      declineCode: err.body.decline_code,
      message: err.body.message,
      paymentMethod: structuredClone(pm),
    });
    Object.assign(intent, { status: 'requires_payment_method', payment_method: null, last_setup_error: error });
    ctx.emit('setup_intent.setup_failed', intent);
    throw new StripeApiError(402, { ...err.body, setup_intent: structuredClone(intent), payment_method: structuredClone(pm) }, true);
  }
  Object.assign(intent, { status: 'succeeded', payment_method: pm.id, latest_attempt: `setatt_${pm.id.slice(3)}` });
  ctx.emit('setup_intent.succeeded', intent);
}

/**
 * Simulates the customer completing the SetupIntent client-side (including any 3DS step): the
 * PaymentMethod is created from the test token and attached to the customer.
 */
export function succeedSetupIntent(state: EmulatorState, setupIntentId: string, paymentMethod = 'pm_card_visa'): StripeEvent {
  const intent = state.get('setup_intents', setupIntentId);
  if (!intent) throw new Error(`No such setup_intent: '${setupIntentId}'`);
  if (intent.status === 'succeeded' || intent.status === 'canceled') {
    throw new Error(`SetupIntent ${setupIntentId} has status ${intent.status} and cannot be confirmed`);
  }
  const account = state.owner.get(intent.id)!;
  const pm = materialiseTestCard(state, paymentMethod, account) ?? state.get('payment_methods', paymentMethod);
  if (!pm) throw new Error(`No such PaymentMethod: '${paymentMethod}'`);
  if (!intent.payment_method_types.includes(pm.type)) {
    throw new Error(
      `SetupIntent ${setupIntentId} accepts ${intent.payment_method_types.join(', ')}, not a ${pm.type}: Stripe.js cannot confirm it with ${pm.id}`,
    );
  }
  if (intent.customer) {
    try {
      attachToCustomer(state, pm, intent.customer);
    } catch (err) {
      const hint = err instanceof StripeApiError && err.status === 402 ? ' (decline test cards cannot be saved; use pm_card_chargeCustomerFail)' : '';
      throw new Error(`${(err as Error).message}${hint}`);
    }
  }
  Object.assign(intent, { status: 'succeeded', payment_method: pm.id, latest_attempt: `setatt_${pm.id.slice(3)}`, next_action: null, last_setup_error: null });
  if (intent.customer) recordEvent(state, account, 'payment_method.attached', pm);
  return recordEvent(state, account, 'setup_intent.succeeded', intent);
}

export const setupIntentRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/setup_intents', handler: create },
  { method: 'GET', pattern: '/v1/setup_intents/:id', handler: (ctx, id) => requireSetupIntent(ctx, id) },
  {
    method: 'POST',
    pattern: '/v1/setup_intents/:id/confirm',
    handler: (ctx, id) => {
      if (ctx.publishable) requireClientSecret(ctx, requireSetupIntent(ctx, id));
      allowOnly(ctx.params, [
        'confirmation_token',
        'mandate_data',
        'payment_method',
        'payment_method_data',
        'payment_method_options',
        'return_url',
        'use_stripe_sdk',
      ]);
      const intent = requireSetupIntent(ctx, id);
      const pmId = optString(ctx.params, 'payment_method') ?? intent.payment_method;
      if (!pmId) throw noSuch('PaymentMethod', '', 'payment_method');
      const pm = resolvePaymentMethod(ctx, pmId, 'payment_method');
      requireAcceptedType(intent, pm, 'payment_method');
      requireReturnUrl(intent, ctx.params, 'SetupIntent', `https://dashboard.stripe.com/test/logs/${ctx.requestId}`);
      confirmSetup(ctx, intent, pm);
      return intent;
    },
  },
];
