import { describe, it, expect } from '@jest/globals';
import Stripe from 'stripe';
import { isTransientStripeError, withStripeRetries } from './retry.js';

const apiError = (statusCode: number, type = 'api_error', code?: string) =>
  Stripe.errors.StripeError.generate({ statusCode, type, code, message: 'x' } as never);
const noSleep = async () => undefined;

describe('Stripe retries', () => {
  it('classifies 5xx, 429, 409, lock timeouts and connection errors as transient', () => {
    expect(isTransientStripeError(apiError(500))).toBe(true);
    expect(isTransientStripeError(apiError(503))).toBe(true);
    expect(isTransientStripeError(apiError(429, 'invalid_request_error', 'rate_limit'))).toBe(true);
    expect(isTransientStripeError(apiError(409, 'idempotency_error', 'idempotency_key_in_use'))).toBe(true);
    expect(isTransientStripeError(new Stripe.errors.StripeConnectionError({ message: 'timeout' } as never))).toBe(true);
  });

  it('never retries card errors, bad requests or foreign errors', () => {
    expect(isTransientStripeError(apiError(402, 'card_error', 'card_declined'))).toBe(false);
    expect(isTransientStripeError(apiError(400, 'invalid_request_error'))).toBe(false);
    expect(isTransientStripeError(apiError(401, 'invalid_request_error'))).toBe(false);
    expect(isTransientStripeError(new Error('boom'))).toBe(false);
  });

  it('retries transient failures then answers', async () => {
    let calls = 0;
    const result = await withStripeRetries(
      async () => {
        calls++;
        if (calls < 3) throw apiError(429, 'invalid_request_error', 'rate_limit');
        return 'ok';
      },
      { sleep: noSleep },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after the attempts and rethrows the last error', async () => {
    let calls = 0;
    await expect(
      withStripeRetries(
        async () => {
          calls++;
          throw apiError(500);
        },
        { attempts: 2, sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(calls).toBe(2);
  });

  it('does not retry a decline', async () => {
    let calls = 0;
    await expect(
      withStripeRetries(
        async () => {
          calls++;
          throw apiError(402, 'card_error', 'card_declined');
        },
        { sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(calls).toBe(1);
  });
});
