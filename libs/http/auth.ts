import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthFailureLimiter } from './auth-failure-limiter.js';
import { hashApiKey, safeEqual } from '../crypto/secrets.js';
import { DomainError } from './domain-error.js';
import type { Logger } from '../logging/logger.js';
import { ROLES_EXTENSION } from './openapi/operation-docs.js';
import { COOKIE_SESSIONS, SAFE_METHODS, sessionTokenOf, type CookieSessions } from './cookie-session.js';

export type Role = 'operator' | 'admin' | 'partner';
export type Principal = { role: 'operator' } | { role: 'admin'; companyId: string } | { role: 'partner'; companyId: string; partnerId: string };
export type AdminPrincipal = Extract<Principal, { role: 'admin' }>;
export type PartnerPrincipal = Extract<Principal, { role: 'partner' }>;

/** Finds the holder of a hashed API key (companies module implements it over its read model). */
export interface ApiKeyLookup {
  byHash(hash: string): Promise<Exclude<Principal, { role: 'operator' }> | undefined>;
}
export const API_KEY_LOOKUP = Symbol('API_KEY_LOOKUP');
export const OPERATOR_KEY = Symbol('OPERATOR_KEY');
export const LOGGER = Symbol('LOGGER');
/** The `AuthFailureLimiter`: failed authentications per IP and minute before 429, shared by the processes. */
export const AUTH_FAILURES = Symbol('AUTH_FAILURES');

const ROLES = 'pf:roles';
/** Publishable keys are public (they sit in a company's web pages): they never authenticate an API call. */
const PUBLISHABLE_BEARER = /^Bearer\s+pk_/i;
export const Public = () => SetMetadata(ROLES, 'public');
/** The roles also go into the OpenAPI document, where applyOperationDocs turns them into security, "who" and error answers. */
export const Auth = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES, roles), ApiBearerAuth(), ApiExtension(ROLES_EXTENSION, roles));

@Injectable()
export class AuthGuard implements CanActivate {
  private failures = 0;
  private windowStart = Date.now();
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_LOOKUP) private readonly keys: ApiKeyLookup,
    @Inject(OPERATOR_KEY) private readonly operatorKey: string,
    @Inject(LOGGER) private readonly log: Logger,
    /** An IP over its failures gets 429 for every keyed request until its minute is over, valid key or not. */
    @Inject(AUTH_FAILURES) private readonly limiter: AuthFailureLimiter,
    @Optional() @Inject(COOKIE_SESSIONS) private readonly sessions?: CookieSessions,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<Role[] | 'public' | undefined>(ROLES, [ctx.getHandler(), ctx.getClass()]);
    if (roles === 'public' || roles === undefined) return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const ip = req.ip ?? 'unknown';
    const blocked = this.limiter.blocked(ip);
    if (blocked) throw tooMany(blocked);
    if (PUBLISHABLE_BEARER.test(req.headers.authorization ?? '')) {
      this.recordFailure(req);
      throw new UnauthorizedException({
        detail: 'A publishable key (pk_…) is only taken by the tracking endpoints (/v1/track/*, /js/partnerflow.js); use an admin or partner API key',
        code: 'publishable_key_not_accepted',
      });
    }
    const cookie = req.headers.authorization === undefined ? sessionTokenOf(req.headers.cookie) : undefined;
    const principal = cookie ? await this.identifySession(cookie) : await this.identify(req.headers.authorization);
    if (!principal) {
      this.recordFailure(req);
      const over = await this.limiter.failed(ip);
      if (over) throw tooMany(over);
      throw new UnauthorizedException({ detail: 'A valid API key is required: Authorization: Bearer <key>', code: 'unauthorized' });
    }
    if (cookie && !SAFE_METHODS.has(req.method) && !this.sessions!.allowsOrigin(req.headers.origin, req.headers.host)) {
      throw new ForbiddenException({
        detail: 'A request signed in by the session cookie must come from this app’s own pages (Origin)',
        code: 'foreign_origin',
      });
    }
    if (!roles.includes(principal.role)) {
      throw new ForbiddenException({ detail: `This route needs a ${roles.join(' or ')} key`, code: 'forbidden' });
    }
    req.principal = principal;
    return true;
  }

  private async identify(header: string | undefined): Promise<Principal | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) return undefined;
    const key = match[1]!;
    if (safeEqual(key, this.operatorKey)) return { role: 'operator' };
    return this.keys.byHash(hashApiKey(key));
  }

  /** A console session resolves through the key it was opened with, so it ends when that key stops working. */
  private async identifySession(token: string): Promise<Principal | undefined> {
    const keyHash = await this.sessions?.keyHashOf(token);
    return keyHash ? this.keys.byHash(keyHash) : undefined;
  }

  /** Failed authentications are counted per minute, so brute force shows in the logs. */
  private recordFailure(req: Request): void {
    const now = Date.now();
    if (now - this.windowStart > 60_000) {
      if (this.failures > 0) this.log.warn({ failedAuthPerMinute: this.failures }, 'failed authentication rate');
      this.failures = 0;
      this.windowStart = now;
    }
    this.failures++;
    this.log.warn({ path: req.path, ip: req.ip, failuresThisMinute: this.failures }, 'authentication failed');
  }
}

function tooMany(r: RateLimiterRes): DomainError {
  const retryAfter = Math.max(1, Math.ceil(r.msBeforeNext / 1000));
  return new DomainError(429, 'too_many_failed_authentications', `Too many failed authentications from this address: retry in ${retryAfter} s`, { retryAfter });
}

export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const p = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (!p) throw new UnauthorizedException();
  return p;
});
