import Stripe from 'stripe';

/** Failures after which the same request, with the same idempotency key, may succeed. */
export function isTransientStripeError(e: unknown): boolean {
  if (e instanceof Stripe.errors.StripeConnectionError) return true;
  if (!(e instanceof Stripe.errors.StripeError)) return false;
  const status = e.statusCode ?? 0;
  return status === 429 || status === 409 || status >= 500 || e.code === 'lock_timeout';
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Re-runs `send` on transient failures. `send` must reuse one idempotency key across calls,
 * so a request that did reach Stripe is replayed, never executed twice.
 */
export async function withStripeRetries<T>(send: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      if (attempt >= attempts || !isTransientStripeError(e)) throw e;
      await sleep((opts.baseDelayMs ?? 250) * 2 ** (attempt - 1));
    }
  }
}
