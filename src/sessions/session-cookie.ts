import type { CookieOptions, Request, Response } from 'express';
import { ForbiddenException } from '@nestjs/common';
import { SESSION_COOKIE } from '../../libs/http/cookie-session.js';
import type { SessionStore } from './session-store.js';

const options = (publicUrl: string): CookieOptions => ({ httpOnly: true, sameSite: 'strict', secure: publicUrl.startsWith('https:'), path: '/' });

export function setSessionCookie(res: Response, publicUrl: string, token: string, expiresAt: Date, now: Date): void {
  res.cookie(SESSION_COOKIE, token, { ...options(publicUrl), maxAge: expiresAt.getTime() - now.getTime() });
}

export function clearSessionCookie(res: Response, publicUrl: string): void {
  res.clearCookie(SESSION_COOKIE, options(publicUrl));
}

/** Sign-in and sign-out change the cookie, so a browser may only ask for them from this app's pages (API clients send no Origin). */
export function refuseForeignOrigin(req: Request, store: SessionStore): void {
  const origin = req.headers.origin;
  if (origin !== undefined && !store.allowsOrigin(origin, req.headers.host)) {
    throw new ForbiddenException({ detail: 'Sign-in and sign-out are accepted from this app’s own pages only (Origin)', code: 'foreign_origin' });
  }
}
