import { httpUrl, MAX_URL_LENGTH } from '../../../libs/http/http-url.js';

/** Referral keys as partners get them (`ref_…`), with room for other formats; never anything that needs escaping. */
export const REFERRAL_KEY = /^[A-Za-z0-9_-]{1,64}$/;
export const PUBLISHABLE_KEY = /^pk_[A-Za-z0-9]{8,64}$/;
export { MAX_URL_LENGTH };

/** `url` and `referrer` of a tracked click: absolute http(s) URLs, at most 2048 characters; null when absent. */
export function pageUrl(raw: string | undefined | null): string | null | { invalid: string } {
  if (raw === undefined || raw === null || raw === '') return null;
  const url = httpUrl(raw);
  return url ? url.href : { invalid: `must be an absolute http or https URL of at most ${MAX_URL_LENGTH} characters` };
}
