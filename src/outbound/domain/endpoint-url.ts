import ipaddr from 'ipaddr.js';
import { blockedAddress } from './address-policy.js';

export const MAX_URL_LENGTH = 2048;

/**
 * What can be told about an endpoint URL without the network: https only (http too when private addresses are
 * allowed, for local receivers), no credentials, and an IP literal must be allowed. Answers the problem, or
 * undefined. Host names are resolved and their addresses checked separately (at create time and on every connection).
 */
export function endpointUrlProblem(raw: string, allowPrivate: boolean): string | undefined {
  if (raw.length > MAX_URL_LENGTH) return `url must be at most ${MAX_URL_LENGTH} characters`;
  if (!URL.canParse(raw)) return 'url must be an absolute URL';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'url must use https';
  if (url.username || url.password) return 'url must not contain credentials';
  if (!url.hostname) return 'url must name a host';
  const literal = ipLiteral(url.hostname);
  if (literal && !allowPrivate) {
    const blocked = blockedAddress(literal);
    if (blocked) return `url must not point to a private, loopback, link-local or metadata address (${blocked})`;
  }
  return undefined;
}

/** The address of a host that is an IP literal (`[::1]` without brackets), else undefined. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : undefined;
}
