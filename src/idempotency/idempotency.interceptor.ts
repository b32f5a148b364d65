import { Inject, Injectable, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, defer, finalize, mergeMap, of, type Observable } from 'rxjs';
import type { Principal } from '../../libs/http/auth.js';
import { DomainError } from '../../libs/http/domain-error.js';
import { toProblem, type Problem } from '../../libs/http/problem-details.filter.js';
import type { Logger } from '../../libs/logging/logger.js';
import { LOGGER } from '../core/tokens.js';
import { hashIdempotencyKey, keyProblem, requestFingerprint } from './request-fingerprint.js';
import { IdempotencyStore, LEASE_MS, type Lease, type StoredAnswer } from './idempotency-store.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Headers of the first answer that are part of it (the rest are the server's, set again on every answer). */
const KEPT_HEADERS = ['cache-control', 'location'];

/**
 * Problems that ask the client to try again are not kept, so a retry with the key runs the request again: server
 * faults (5xx), rate limits (429), a body refused before the handler ran (400: Stripe keeps no answer for a
 * request that failed validation either), and conflicts with work still in flight.
 */
const TRANSIENT_CODES = new Set(['concurrent_modification', 'reversals_pending', 'payment_in_progress', 'delivery_in_progress']);
export const keepsProblem = (p: Problem): boolean => p.status < 500 && p.status !== 429 && p.status !== 400 && !TRANSIENT_CODES.has(String(p.code));

/** Whose key it is: two companies (or two partners) may use the same key for different requests. */
export function scopeOf(p: Principal): string {
  return p.role === 'operator' ? 'operator' : p.role === 'admin' ? `admin:${p.companyId}` : `partner:${p.companyId}:${p.partnerId}`;
}

/**
 * Stripe-style `Idempotency-Key` on every authenticated POST (public routes, Stripe's webhooks among them, have no
 * caller to scope a key to and are left alone). The first answer is kept 24 h and replayed with
 * `Idempotent-Replayed: true` for the same key and the same request; the key with another request is 422; while the
 * first request runs, the same key is 409 `idempotency_key_in_use`. Runs after the auth guard, before validation.
 * A keyed route answers through its return value (`@Res({ passthrough: true })` at most): a replay is a value too.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const key = req.headers['idempotency-key'];
    if (key === undefined || req.method !== 'POST' || !req.principal) return next.handle();
    const res = ctx.switchToHttp().getResponse<Response>();
    return defer(() => this.claim(req, req.principal!, key)).pipe(
      mergeMap((claim) => (claim.kind === 'replay' ? of(replay(claim.answer)) : this.run(claim.lease, req, res, next))),
    );
  }

  private async claim(req: Request, principal: Principal, key: string | string[]) {
    const text = Array.isArray(key) ? key.join(', ') : key;
    const problem = keyProblem(text);
    if (problem) throw new DomainError(400, 'invalid_idempotency_key', problem, { errors: [{ field: IDEMPOTENCY_HEADER, message: problem }] });
    const path = req.originalUrl.split('?')[0]!;
    const claim = await this.store.claim(scopeOf(principal), hashIdempotencyKey(text), requestFingerprint(req.method, path, req.query, req.body));
    if (claim.kind === 'mismatch') {
      throw new DomainError(
        422,
        'idempotency_key_reused',
        `This Idempotency-Key was used with another request (a different route or body) in the last 24 hours; use a new key for a new request`,
        {
          errors: [{ field: IDEMPOTENCY_HEADER, message: 'already used with another request' }],
        },
      );
    }
    if (claim.kind === 'in_use') {
      throw new DomainError(409, 'idempotency_key_in_use', 'Another request with this Idempotency-Key is still running; retry it once that one has answered', {
        retryAfter: 1,
      });
    }
    return claim;
  }

  /** Runs the handler holding the lease, keeps its answer (or releases the key), and renews the lease meanwhile. */
  private run(lease: Lease, req: Request, res: Response, next: CallHandler): Observable<unknown> {
    const renewal = setInterval(
      () => this.store.renew(lease).catch((err: unknown) => this.log.warn({ err }, 'idempotency lease renewal failed')),
      LEASE_MS / 3,
    );
    renewal.unref();
    return next.handle().pipe(
      mergeMap(async (value) => {
        await this.settle(lease, answerOf(res, value));
        return value;
      }),
      catchError((error: unknown) =>
        defer(async () => {
          const problem = { ...toProblem(error), instance: req.originalUrl.split('?')[0] };
          await this.settle(lease, keepsProblem(problem) ? problemAnswer(res, problem) : undefined);
          throw error;
        }),
      ),
      finalize(() => clearInterval(renewal)),
    );
  }

  /** Stores the answer, or releases the key without one; a failure to record is logged, and the caller still gets its answer. */
  private async settle(lease: Lease, answer: StoredAnswer | undefined): Promise<void> {
    try {
      if (!answer) await this.store.release(lease);
      else if (!(await this.store.answer(lease, answer))) this.log.warn({ scope: lease.scope }, 'idempotency key taken over before its answer was stored');
    } catch (err) {
      this.log.error({ err, scope: lease.scope }, 'idempotency key could not be settled; it frees itself when its lease runs out');
    }
  }
}

const isStream = (v: object): boolean => v instanceof StreamableFile || Symbol.asyncIterator in v || v instanceof globalThis.Response;

/**
 * The answer as Express sends a handler's value, nothing or JSON, with the status and headers already set on the
 * response; undefined for what is not kept (a stream, text, or an answer the handler sent itself: no POST route does).
 */
function answerOf(res: Response, value: unknown): StoredAnswer | undefined {
  if (res.headersSent) return undefined; // a handler that wrote the answer itself (@Res()): not what its value says
  if (value === undefined || value === null) return { status: res.statusCode, headers: kept(res), body: '' };
  if (typeof value !== 'object' || isStream(value)) return undefined;
  return { status: res.statusCode, headers: { ...kept(res), 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

function problemAnswer(res: Response, problem: Problem): StoredAnswer {
  return { status: problem.status, headers: { ...kept(res), 'content-type': 'application/problem+json; charset=utf-8' }, body: JSON.stringify(problem) };
}

function kept(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const v = res.getHeader(name);
    if (v !== undefined) out[name] = String(v);
  }
  return out;
}

function replay(answer: StoredAnswer): globalThis.Response {
  const body = answer.body === '' ? null : answer.body;
  return new globalThis.Response(body, { status: answer.status, headers: { ...answer.headers, [REPLAYED_HEADER]: 'true' } });
}
