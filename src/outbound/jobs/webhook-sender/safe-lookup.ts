import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { blockedAddress } from '../../domain/address-policy.js';
import { ipLiteral } from '../../domain/endpoint-url.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A webhook host that resolves to nothing, or to an address a webhook may not reach. */
export class UnsafeAddress extends Error {
  readonly code = 'UNSAFE_ADDRESS';
}

/**
 * The address to connect to: every address the host resolves to must be allowed (one private answer among public
 * ones is refused, so no answer order or DNS rebinding can slip one through), and the first is used.
 */
export async function resolveAllowed(hostname: string, resolve: Resolve): Promise<ResolvedAddress> {
  const literal = ipLiteral(hostname);
  const found = literal
    ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }]
    : await resolve(hostname).catch((e: NodeJS.ErrnoException) => {
        throw new UnsafeAddress(`${hostname} does not resolve (${e.code ?? e.message})`);
      });
  if (found.length === 0) throw new UnsafeAddress(`${hostname} does not resolve`);
  for (const a of found) {
    const blocked = blockedAddress(a.address);
    if (blocked) throw new UnsafeAddress(`${hostname} resolves to a private, loopback, link-local or metadata address (${blocked})`);
  }
  return found[0]!;
}

/**
 * `lookup` for the sockets of webhook deliveries: the address checked is the address connected to (pinned),
 * for every new connection, so a host that resolved to a public address when the endpoint was made cannot be
 * switched to an internal one later. (Node calls `lookup` for host names only; IP literals are checked before.)
 */
export function safeLookup(resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, resolve).then(
      (a) => (options.all ? (callback as (e: null, all: ResolvedAddress[]) => void)(null, [a]) : callback(null, a.address, a.family)),
      (e: Error) => callback(e as NodeJS.ErrnoException, '', 0),
    );
  };
}
