import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../../../../libs/config/config.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { CONFIG } from '../../../core/tokens.js';

/** A 429 with the seconds to wait, for the Retry-After header. */
export class RateLimited extends DomainError {
  constructor(readonly retryAfter: number) {
    super(429, 'rate_limited', `Too many tracking requests from this address: retry in ${retryAfter} s`, { retryAfter });
  }
}

/**
 * Tracking requests per IP address and minute (TRACKING_CLICKS_PER_MINUTE, default 120), counted in this
 * process's memory before any database work, so a flood from one address costs the others nothing. Each
 * process counts on its own: behind N web processes an address gets up to N times the limit.
 */
@Injectable()
export class ClickLimiter {
  private readonly clicks: RateLimiterMemory;
  private readonly leads: RateLimiterMemory;

  constructor(@Inject(CONFIG) config: AppConfig) {
    this.clicks = new RateLimiterMemory({ keyPrefix: 'click', points: config.trackingClicksPerMinute, duration: 60 });
    this.leads = new RateLimiterMemory({ keyPrefix: 'lead', points: config.trackingClicksPerMinute, duration: 60 });
  }

  /** Counts one click of `ip`, or throws RateLimited. */
  click(ip: string): Promise<void> {
    return take(this.clicks, ip);
  }

  lead(ip: string): Promise<void> {
    return take(this.leads, ip);
  }
}

async function take(limiter: RateLimiterMemory, ip: string): Promise<void> {
  try {
    await limiter.consume(ip);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new RateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    throw e;
  }
}
