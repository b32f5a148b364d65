import Stripe from 'stripe';
import { stripeOperation, stripeOutcome, stripeRequestDuration, stripeRequests } from '../metrics/metrics.js';

export const PLATFORM_STRIPE = Symbol('PLATFORM_STRIPE');

/**
 * The Stripe API version every request of the app names (`Stripe-Version`), pinned here rather than left to the
 * account's default so an account upgrade in the Dashboard cannot change what the app sends or reads. It is the
 * version the installed SDK's types describe; upgrading the SDK means reviewing the changelog and moving this.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

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
  const stripe = new Stripe(opts.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: Math.max(2, opts.maxNetworkRetries ?? 2),
    timeout: opts.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'partnerflow' },
    ...(opts.apiBase ? hostOf(opts.apiBase) : {}),
  });
  // Each request that got an answer, once the SDK's own retries are over; one that got none shows as the caller's error.
  stripe.on('response', (r: Stripe.ResponseEvent) => {
    stripeRequests.inc({ operation: stripeOperation(r.method, r.path), outcome: stripeOutcome(r.status) });
    stripeRequestDuration.observe(r.elapsed / 1000);
  });
  return stripe;
}

function hostOf(apiBase: string): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}
