import { docUrl, invalidRequest, noSuch, StripeApiError } from '../errors.js';
import { paymentMethodObject } from '../objects/customers.js';
import { paginate } from '../list.js';
import { allowOnly, optString, requireString } from '../params.js';
import type { Ctx, Route } from '../router.js';
import type { EmulatorState } from '../state.js';
import { TEST_CARDS, type TestCard } from '../test-cards.js';
import type { Obj } from '../types.js';
import { requireCustomer } from './customers.js';

/** Like Stripe, each use of a `pm_card_*` test token creates a new PaymentMethod with its own id. */
export function materialiseTestCard(state: EmulatorState, token: string, account: string): Obj | undefined {
  const card = TEST_CARDS[token];
  if (!card) return undefined;
  const pm = state.put('payment_methods', paymentMethodObject(card), account);
  state.cards.set(pm.id, card);
  return pm;
}

export function resolvePaymentMethod(ctx: Ctx, id: string, param?: string): Obj {
  const pm = materialiseTestCard(ctx.state, id, ctx.account) ?? ctx.state.get('payment_methods', id, ctx.account);
  if (!pm) throw noSuch('PaymentMethod', id, param);
  return pm;
}

export function cardOf(state: EmulatorState, pmId: string): TestCard {
  return state.cards.get(pmId) ?? TEST_CARDS.pm_card_visa;
}

export function attachPaymentMethod(ctx: Ctx, pm: Obj, customerId: string): Obj {
  attachToCustomer(ctx.state, pm, customerId, ctx.requestId);
  ctx.emit('payment_method.attached', pm);
  return pm;
}

/** Stripe's decline test cards fail card verification, so they can't be saved: 402 card_error. */
export function verifyCard(state: EmulatorState, pm: Obj, requestId?: string): void {
  const card = cardOf(state, pm.id);
  if (card.attachable || card.outcome.kind !== 'decline') return;
  const { code, declineCode, message } = card.outcome;
  const logUrl = requestId ? { request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } : {};
  throw new StripeApiError(402, { type: 'card_error', code, decline_code: declineCode, message, doc_url: docUrl(code), ...logUrl }, true);
}

export function attachToCustomer(state: EmulatorState, pm: Obj, customerId: string, requestId?: string): void {
  verifyCard(state, pm, requestId);
  if (pm.customer && pm.customer !== customerId) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', 'payment_method', 'payment_method_unexpected_state');
  }
  pm.customer = customerId;
}

export const paymentMethodRoutes: Route[] = [
  { method: 'GET', pattern: '/v1/payment_methods/:id', handler: (ctx, id) => resolvePaymentMethod(ctx, id) },
  {
    method: 'POST',
    pattern: '/v1/payment_methods/:id/attach',
    handler: (ctx, id) => {
      allowOnly(ctx.params, ['customer', 'customer_account']);
      const customer = requireCustomer(ctx, requireString(ctx.params, 'customer'), 'customer');
      return attachPaymentMethod(ctx, resolvePaymentMethod(ctx, id), customer.id);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/payment_methods/:id/detach',
    handler: (ctx, id) => {
      const pm = resolvePaymentMethod(ctx, id);
      if (!pm.customer) {
        throw invalidRequest(
          'The payment method you provided is not attached to a customer so detachment is impossible.',
          undefined,
          'payment_method_unexpected_state',
        );
      }
      pm.customer = null;
      return pm;
    },
  },
  {
    method: 'GET',
    pattern: '/v1/payment_methods',
    handler: (ctx) => {
      allowOnly(ctx.params, ['customer', 'customer_account', 'ending_before', 'limit', 'starting_after', 'type', 'allow_redisplay']);
      const customer = optString(ctx.params, 'customer');
      const type = optString(ctx.params, 'type');
      return paginate(
        ctx.state.list('payment_methods', ctx.account),
        ctx.params,
        '/v1/payment_methods',
        'PaymentMethod',
        (pm) => (!customer || pm.customer === customer) && (!type || pm.type === type),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:id/payment_methods',
    handler: (ctx, id) => {
      allowOnly(ctx.params, ['allow_redisplay', 'ending_before', 'limit', 'starting_after', 'type']);
      requireCustomer(ctx, id);
      const type = optString(ctx.params, 'type');
      return paginate(
        ctx.state.list('payment_methods', ctx.account),
        ctx.params,
        `/v1/customers/${id}/payment_methods`,
        'PaymentMethod',
        (pm) => pm.customer === id && (!type || pm.type === type),
      );
    },
  },
];
