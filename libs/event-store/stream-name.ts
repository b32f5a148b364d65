import { createHash } from 'node:crypto';

const PLAIN = /^[A-Za-z0-9_.:@+=-]{1,200}$/;

/**
 * An id from outside (Stripe's, a client reference) as part of a stream name: kept as it is when short and
 * plain, as every real Stripe id and every id of ours is, so stream names stay readable; anything else is
 * replaced by its SHA-256, so no input can make a stream name too long for the store's unique index.
 */
export function streamKey(id: string): string {
  return PLAIN.test(id) ? id : `h_${createHash('sha256').update(id).digest('hex')}`;
}
