import Stripe from 'stripe';

export const PLATFORM_STRIPE = Symbol('PLATFORM_STRIPE');

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. `http://127.0.0.1:12111` for a local emulator; Stripe's own API when absent. */
  apiBase?: string;
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

/**
 * The platform's Stripe SDK client. The SDK retries connection errors, 409 and 5xx with the same
 * Idempotency-Key; `withStripeRetries` adds 429s and a longer tail on top.
 */
export function createStripeClient(opts: StripeClientOptions): Stripe {
  return new Stripe(opts.secretKey, {
    maxNetworkRetries: Math.max(2, opts.maxNetworkRetries ?? 2),
    timeout: opts.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'partnerflow' },
    ...(opts.apiBase ? hostOf(opts.apiBase) : {}),
  });
}

function hostOf(apiBase: string): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}
