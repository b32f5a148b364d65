/** Pure checks of URLs taken from clients (settings, tracking input). */

export const MAX_URL_LENGTH = 2048;

/** An absolute http(s) URL without credentials, in its normalized form; null when it is not one. */
export function httpUrl(raw: string): URL | null {
  if (raw.length > MAX_URL_LENGTH || /[\u0000-\u001f\u007f\s\\]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname || url.username || url.password) return null;
  return url;
}

/** `scheme://host[:port]` exactly (no path, query or trailing slash), lower-cased; null when `raw` is not one. */
export function normalizeOrigin(raw: string): string | null {
  const url = httpUrl(raw);
  if (!url) return null;
  const origin = url.origin;
  return origin.toLowerCase() === raw.toLowerCase() ? origin : null;
}
