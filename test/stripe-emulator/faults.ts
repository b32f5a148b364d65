import type { StripeErrorBody } from './errors.js';
import type { EmulatorState } from './state.js';
import type { FaultSpec } from './types.js';

export function addFault(state: EmulatorState, fault: FaultSpec): void {
  state.faults.push({ ...fault, method: fault.method?.toUpperCase(), remaining: fault.count ?? 1 });
}

/** Consumes one use of the first fault matching the request, if any. */
export function takeFault(state: EmulatorState, method: string, path: string): FaultSpec | undefined {
  const fault = state.faults.find((f) => (!f.method || f.method === method) && path.startsWith(f.pathPrefix));
  if (!fault) return undefined;
  fault.remaining -= 1;
  if (fault.remaining <= 0) state.faults = state.faults.filter((f) => f !== fault);
  return fault;
}

const DEFAULTS: Record<number, StripeErrorBody> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
  402: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  403: { type: 'invalid_request_error', message: 'The provided key does not have the required permissions for this endpoint.' },
  404: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such object.' },
  409: {
    type: 'idempotency_error',
    code: 'idempotency_key_in_use',
    message:
      'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later.',
  },
  429: {
    type: 'invalid_request_error',
    code: 'rate_limit',
    message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
  },
};

const LOCK_TIMEOUT =
  'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.';

const SERVER_ERROR: StripeErrorBody = {
  type: 'api_error',
  message: "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at support.stripe.com/contact.",
};

export function faultResponse(fault: FaultSpec): { status: number; body: { error: StripeErrorBody }; headers: Record<string, string> } {
  const status = fault.status ?? 500;
  const base = DEFAULTS[status] ?? (status >= 500 ? SERVER_ERROR : { type: 'invalid_request_error' as const, message: 'Request failed.' });
  const error: StripeErrorBody = { ...base, ...(fault.code ? { code: fault.code } : {}), ...(fault.message ? { message: fault.message } : {}) };
  if (error.code === 'lock_timeout' && !fault.message) error.message = LOCK_TIMEOUT;
  const shouldRetry = fault.shouldRetry ?? (error.code === 'lock_timeout' ? true : undefined);
  return { status, body: { error }, headers: shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(shouldRetry) } };
}
