import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AUTH_FAILURE_LIMIT } from '../../libs/http/auth.js';
import { DomainError } from '../../libs/http/domain-error.js';

/**
 * Sign-in is public (the guard never sees it), so its failures are limited here, per IP, by the same
 * AUTH_FAILURES_PER_MINUTE as the guard's: guessing keys or login tokens through the console is no faster
 * than through Bearer headers.
 */
@Injectable()
export class SignInLimiter {
  private readonly limiter?: RateLimiterMemory;

  constructor(@Inject(AUTH_FAILURE_LIMIT) perMinute: number) {
    if (perMinute > 0) this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60, blockDuration: 60 });
  }

  /** Refuses (429) an address that used up its failures; otherwise runs `attempt` and counts it if it fails with 401. */
  async guard<T>(ip: string, attempt: () => Promise<T>): Promise<T> {
    const state = await this.limiter?.get(ip);
    if (state && state.consumedPoints > this.limiter!.points) throw tooMany(state);
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof DomainError && e.status === 401) {
        const over = await this.limiter?.consume(ip).then(
          () => undefined,
          (r: unknown) => (r instanceof RateLimiterRes ? r : undefined),
        );
        if (over) throw tooMany(over);
      }
      throw e;
    }
  }
}

function tooMany(r: RateLimiterRes): DomainError {
  const retryAfter = Math.max(1, Math.ceil(r.msBeforeNext / 1000));
  return new DomainError(429, 'too_many_failed_authentications', `Too many failed sign-ins from this address: retry in ${retryAfter} s`, { retryAfter });
}
