import { createHash, randomBytes } from 'node:crypto';

/** A console session lasts a week from sign-in; signing out or a revoked key ends it sooner. */
export const SESSION_TTL_MS = 7 * 24 * 3_600_000;
/** A partner login link works once, within 24 hours. */
export const LOGIN_LINK_TTL_MS = 24 * 3_600_000;

/** 256-bit random, base64url: what the cookie and the login link carry; only its hash is stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export type SessionRole = 'admin' | 'partner';

/** When a login link issued `now` stops working (recorded on the partner's stream as `PartnerLoginLinkIssued`). */
export const loginLinkExpiry = (now: Date): string => new Date(now.getTime() + LOGIN_LINK_TTL_MS).toISOString();

export const portalLoginUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/$/, '')}/portal/login?token=${token}`;
