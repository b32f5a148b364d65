import Stripe from 'stripe';
import { DomainError } from '../../../libs/http/domain-error.js';
import { isTransientStripeError } from '../../../libs/stripe/retry.js';

/** A Stripe failure as problem+json: 503 when worth retrying, 502 when Stripe refused the request. */
export function stripeProblem(e: unknown): unknown {
  if (isTransientStripeError(e)) return new DomainError(503, 'stripe_unavailable', 'Stripe did not answer; retry in a moment');
  if (e instanceof Stripe.errors.StripeError)
    return new DomainError(502, 'stripe_error', `Stripe refused the request: ${e.message}`, { stripeCode: e.code ?? null });
  return e;
}
