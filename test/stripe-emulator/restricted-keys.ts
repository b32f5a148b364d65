import { StripeApiError } from './errors.js';

/**
 * Restricted keys (`rk_…`) the test declared with `restrictKey`, and the permissions each was given, e.g.
 * `rak_customer_read`. A declared key calling an endpoint it has no permission for gets Stripe's answer: 403, an
 * `invalid_request_error` naming the permission that would allow it (the SDK raises it as StripePermissionError).
 * Keys never declared keep full access.
 */
export class RestrictedKeys {
  private readonly keys = new Map<string, Set<string>>();

  restrict(key: string, permissions: string[]): void {
    if (!/^rk_test_/.test(key)) throw new Error('only restricted keys (rk_test_…) can be restricted');
    this.keys.set(key, new Set(permissions));
  }

  /** Throws the 403 when `key` is declared and lacks the permission `method path` needs. */
  check(key: string, method: string, path: string, account: string): void {
    const granted = this.keys.get(key);
    const resource = RESOURCES[path.split('/')[2] ?? ''];
    if (!granted || !resource) return;
    const write = method !== 'GET';
    const needed = `rak_${resource}_${write ? 'write' : 'read'}`;
    // write access includes read, as in the Dashboard's "Write" level
    if (granted.has(needed) || (!write && granted.has(`rak_${resource}_write`))) return;
    throw new StripeApiError(403, {
      type: 'invalid_request_error',
      message: `The provided key '${redacted(key)}' does not have the required permissions for this endpoint on account '${account}'. Having the '${needed}' permission would allow this request to continue.`,
    });
  }
}

/** Path segment after /v1/ → the permission's resource name. */
const RESOURCES: Record<string, string> = {
  customers: 'customer',
  events: 'event',
  invoice_payments: 'invoice',
  payment_intents: 'payment_intent',
  payment_methods: 'payment_method',
  setup_intents: 'setup_intent',
};

function redacted(key: string): string {
  const prefix = 'rk_test_';
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 6))}${key.slice(-6)}`;
}
