import { httpUrl } from '../../../libs/http/http-url.js';

export type LandingTarget = { ok: true; url: string } | { ok: false; reason: string };

/** Control characters, whitespace and backslashes: what browsers strip or turn into `/` before resolving. */
const UNSAFE = /[\u0000-\u0020\u007f\\]/;

/**
 * Where a referral link sends the visitor: the landing URL, or `to` when it stays on the landing URL's origin
 * (a path such as `/pricing?plan=pro`, or an absolute URL of that origin), with `pf_ref=<clickId>` added (none
 * for a click that was not counted as a visitor's, e.g. a bot's). Never an open redirect: protocol-relative
 * (`//evil`), backslash (`/\evil`), other origins, other schemes and control characters are refused.
 */
export function landingTarget(landingUrl: string, to: string | null, clickId: string | null): LandingTarget {
  const landing = new URL(landingUrl);
  let target = landing;
  if (to !== null) {
    if (to.length === 0 || to.length > 2048) return { ok: false, reason: 'to must be a path of at most 2048 characters' };
    if (UNSAFE.test(to)) return { ok: false, reason: 'to must not contain spaces, control characters or backslashes' };
    if (to.startsWith('/')) {
      if (to.startsWith('//')) return { ok: false, reason: 'to must be a path on the landing site, not //host' };
      target = new URL(to, landing.origin);
    } else {
      const absolute = httpUrl(to);
      if (!absolute) return { ok: false, reason: 'to must be a path starting with / or a URL of the landing site' };
      target = absolute;
    }
    if (target.origin !== landing.origin) return { ok: false, reason: `to must stay on ${landing.origin}` };
  }
  if (clickId) target.searchParams.set('pf_ref', clickId);
  return { ok: true, url: target.href };
}
