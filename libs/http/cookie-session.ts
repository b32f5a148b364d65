/** The console's session cookie: HttpOnly, SameSite=Strict, Secure when PUBLIC_URL is https. */
export const SESSION_COOKIE = 'pf_session';

/** What the auth guard needs of cookie sessions (the sessions module implements it). */
export interface CookieSessions {
  /** The hash of the API key the session was opened with, while the session lasts. */
  keyHashOf(token: string): Promise<string | undefined>;
  /** Whether a write authenticated by the cookie may come from this `Origin` (the app's own origin only). */
  allowsOrigin(origin: string | undefined, host: string | undefined): boolean;
}
export const COOKIE_SESSIONS = Symbol('COOKIE_SESSIONS');

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) {
      const token = pair.slice(at + 1).trim();
      if (/^[A-Za-z0-9_-]{20,100}$/.test(token)) return token;
    }
  }
  return undefined;
}

/**
 * The app's own origin is PUBLIC_URL's, or the origin of the host the request was sent to: a browser
 * sets `Origin` to the page's origin and `Host` to the request's, so they agree only for a page this
 * server served. (A rebinding page on another name has no cookie of ours: cookies follow the name.)
 */
export function isOwnOrigin(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin || origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin === new URL(publicUrl).origin) return true;
  return host !== undefined && url.host === host.toLowerCase() && (url.protocol === 'http:' || url.protocol === 'https:');
}
