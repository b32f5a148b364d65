import pg from 'pg';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AUTH_FAILURES_TABLE } from './auth-failures.migration.js';

/**
 * Failed authentications (bad API keys, bad sign-ins) per client IP and minute, counted in Postgres so that N web
 * processes give an address the budget once, not N times. Only a failure costs a database round trip: an address
 * over its budget is blocked in this process's memory until its minute is over (every process learns it on the
 * address's next failure there, so the whole set of processes lets through at most one more failure per process).
 * If the database cannot be reached, each process counts on its own (the insurance limiter) rather than letting
 * guesses through uncounted or failing the request.
 */
export class AuthFailureLimiter {
  readonly perMinute: number;
  private readonly limiter?: RateLimiterPostgres | RateLimiterMemory;
  private readonly pool?: pg.Pool;
  /** Addresses over their budget and when their block ends; bounded, so a flood of addresses cannot grow it. */
  private readonly blockedUntil = new LRUCache<string, number>({ max: 10_000 });

  /** `databaseUrl` undefined: counted in this process only (tests of the guard alone). */
  constructor(perMinute: number, databaseUrl?: string) {
    this.perMinute = perMinute;
    if (perMinute <= 0) return;
    const options = { points: perMinute, duration: 60, blockDuration: 60 };
    const insurance = new RateLimiterMemory(options);
    if (!databaseUrl) {
      this.limiter = insurance;
      return;
    }
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'partnerflow-auth-failures' });
    this.pool.on('error', () => undefined); // an idle connection dropped: the next query reconnects
    this.limiter = new RateLimiterPostgres({
      ...options,
      storeClient: this.pool,
      storeType: 'pool',
      tableName: AUTH_FAILURES_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: true,
      insuranceLimiter: insurance,
    });
  }

  /** The refusal an address over its budget gets right now, from this process's memory (no database work). */
  blocked(ip: string, now = Date.now()): RateLimiterRes | undefined {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return undefined;
    if (until > now) return new RateLimiterRes(0, until - now, this.perMinute + 1, false);
    this.blockedUntil.delete(ip);
    return undefined;
  }

  /** Counts one failure of `ip`; answers the refusal when that failure went over the budget. */
  async failed(ip: string): Promise<RateLimiterRes | undefined> {
    if (!this.limiter) return undefined;
    try {
      await this.limiter.consume(ip);
      return undefined;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      this.blockedUntil.set(ip, Date.now() + e.msBeforeNext);
      return e;
    }
  }

  /** Nest calls it on app.close(). */
  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
