import { invalidRequest, StripeApiError, unknownParam } from './errors.js';
import type { AutomaticPaymentMethods } from './objects/payments.js';
import { optBool, optEnum, optHash, optStringArray } from './params.js';
import type { Obj, Params } from './types.js';
import { automaticPaymentMethodsByDefault, isEndiveOrLater } from './versions.js';

/** What dynamic payment methods offer when turned on (the methods "enabled in the Dashboard" of the emulated account). */
const DASHBOARD_METHODS = ['card', 'link'];

export interface PaymentMethodChoice {
  allowed: string[] | null;
  types: string[];
  automatic: AutomaticPaymentMethods;
}

/**
 * How an intent's payment methods are chosen, as Stripe reads its parameters:
 * - `allowed_payment_method_types` (2026-07-29 on) limits the intent to those types; it excludes the other three ways;
 * - `payment_method_types` lists them, until 2026-09-30 ("endive") refuses it with `payment_method_types_no_longer_supported`;
 * - `automatic_payment_methods[enabled]`, or nothing at all from 2023-08-16 on: dynamic payment methods, with redirects
 *   allowed unless `allow_redirects=never`.
 */
export function paymentMethodChoice(params: Params, apiVersion: string): PaymentMethodChoice {
  const allowed = optStringArray(params, 'allowed_payment_method_types');
  const legacy = optStringArray(params, 'payment_method_types');
  const automatic = optHash(params, 'automatic_payment_methods');
  if (allowed && apiVersion.slice(0, 10) < '2026-07-29') throw unknownParam('allowed_payment_method_types');
  if (legacy && isEndiveOrLater(apiVersion)) {
    // Stripe documents the code (changelog endive 2026-09-30); the wording here is ours.
    throw invalidRequest(
      '`payment_method_types` is no longer supported on this API version. Use `allowed_payment_method_types`, `excluded_payment_method_types` or dynamic payment methods instead.',
      'payment_method_types',
      'payment_method_types_no_longer_supported',
    );
  }
  const given = [allowed && 'allowed_payment_method_types', legacy && 'payment_method_types', automatic && 'automatic_payment_methods'].filter(Boolean);
  if (given.length > 1) throw invalidRequest(`You may only specify one of these parameters: ${given.join(', ')}.`, String(given[1]), 'parameters_exclusive');
  if (allowed) return { allowed, types: allowed, automatic: null };
  if (legacy) return { allowed: null, types: legacy, automatic: null };
  if (automatic) {
    const enabled = optBool(automatic, 'enabled', 'automatic_payment_methods[enabled]');
    if (enabled === undefined)
      throw invalidRequest('Missing required param: automatic_payment_methods[enabled].', 'automatic_payment_methods[enabled]', 'parameter_missing');
    const redirects = optEnum(automatic, 'allow_redirects', ['always', 'never'] as const) ?? 'always';
    return enabled
      ? { allowed: null, types: DASHBOARD_METHODS, automatic: { enabled, allow_redirects: redirects } }
      : { allowed: null, types: ['card'], automatic: null };
  }
  if (automaticPaymentMethodsByDefault(apiVersion)) return { allowed: null, types: DASHBOARD_METHODS, automatic: { enabled: true, allow_redirects: 'always' } };
  return { allowed: null, types: ['card'], automatic: null };
}

/**
 * Confirming an intent whose dynamic payment methods may redirect needs a `return_url`, even off-session and even for a
 * card: Stripe answers 400 with the intent, this message, and no `code` or `param` (reproduced from a 2026 test-mode
 * response). `kind` is 'PaymentIntent' or 'SetupIntent'.
 */
export function requireReturnUrl(intent: Obj, params: Params, kind: 'PaymentIntent' | 'SetupIntent', requestLogUrl: string): void {
  const apm = intent.automatic_payment_methods as AutomaticPaymentMethods;
  if (!apm?.enabled || apm.allow_redirects === 'never' || params.return_url) return;
  throw new StripeApiError(
    400,
    {
      type: 'invalid_request_error',
      message: `This ${kind} is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a \`return_url\`. If you don't want to accept redirect-based payment methods, set \`automatic_payment_methods[enabled]\` to \`true\` and \`automatic_payment_methods[allow_redirects]\` to \`never\` when creating Setup Intents and Payment Intents.`,
      ...(kind === 'PaymentIntent' ? { payment_intent: structuredClone(intent) } : { setup_intent: structuredClone(intent) }),
      request_log_url: requestLogUrl,
    },
    true,
  );
}

/** A payment method whose type the intent does not accept. */
export function requireAcceptedType(intent: Obj, pm: Obj, param: string): void {
  if ((intent.payment_method_types as string[]).includes(pm.type)) return;
  throw invalidRequest(
    `The PaymentMethod provided (${pm.type}) is not allowed for this ${intent.object === 'setup_intent' ? 'SetupIntent' : 'PaymentIntent'}. Please attach a PaymentMethod of one of the following types: ${(intent.payment_method_types as string[]).join(', ')}.`,
    param,
    'payment_intent_incompatible_payment_method',
  );
}
