import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { AUTH_FAILURES } from '../../libs/http/auth.js';
import type { AuthFailureLimiter } from '../../libs/http/auth-failure-limiter.js';
import { DomainError } from '../../libs/http/domain-error.js';

/**
 * Sign-in is public (the guard never sees it), so its failures are limited here, per IP, against the guard's own
 * count (AUTH_FAILURES_PER_MINUTE, shared by every process): guessing keys or login tokens through the console is
 * no faster than through Bearer headers, nor than through both.
 */
@Injectable()
export class SignInLimiter {
  constructor(@Inject(AUTH_FAILURES) private readonly limiter: AuthFailureLimiter) {}

  /** Refuses (429) an address that used up its failures; otherwise runs `attempt` and counts it if it fails with 401. */
  async guard<T>(ip: string, attempt: () => Promise<T>): Promise<T> {
    const blocked = this.limiter.blocked(ip);
    if (blocked) throw tooMany(blocked);
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof DomainError && e.status === 401) {
        const over = await this.limiter.failed(ip);
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
