import { StripeApiError } from './errors.js';
import { canonical } from './form.js';
import type { Params } from './types.js';

export interface StoredResponse {
  status: number;
  json: string;
  requestId: string;
}

interface Entry {
  endpoint: string;
  fingerprint: string;
  createdAt: number;
  response?: StoredResponse;
}

const TTL_MS = 24 * 60 * 60 * 1000;

const idempotencyError = (status: number, message: string, code?: string) =>
  new StripeApiError(status, { type: 'idempotency_error', message, ...(code ? { code } : {}) });

/** Stripe's idempotency layer: keys are scoped per account and expire after 24 hours. */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Returns a stored response to replay, or undefined after reserving the key for this request. */
  begin(scope: string, key: string, endpoint: string, params: Params): StoredResponse | undefined {
    if (key.length > 255) {
      throw new StripeApiError(400, { type: 'invalid_request_error', message: 'Idempotency-Key must be at most 255 characters long.' });
    }
    const id = `${scope}\u0000${key}`;
    const fingerprint = canonical(params);
    const entry = this.entries.get(id);
    if (entry && Date.now() - entry.createdAt < TTL_MS) {
      if (entry.endpoint !== endpoint) {
        throw idempotencyError(
          400,
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (entry.fingerprint !== fingerprint) {
        throw idempotencyError(
          400,
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (!entry.response) {
        throw idempotencyError(
          409,
          `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
          'idempotency_key_in_use',
        );
      }
      return entry.response;
    }
    this.entries.set(id, { endpoint, fingerprint, createdAt: Date.now() });
    return undefined;
  }

  complete(scope: string, key: string, response: StoredResponse): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.response = response;
  }

  release(scope: string, key: string): void {
    const id = `${scope}\u0000${key}`;
    if (!this.entries.get(id)?.response) this.entries.delete(id);
  }
}
