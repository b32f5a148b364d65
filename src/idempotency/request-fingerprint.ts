import { createHash } from 'node:crypto';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../libs/http/openapi/idempotency-header.js';

/** JSON with every object's keys sorted, so a client that serialises the same body in another order is the same request. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** What "the same request" means for a key: method, path (ids included), query and body; an absent body is `{}`. */
export function requestFingerprint(method: string, path: string, query: unknown, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson([method, path, query ?? {}, body ?? {}]))
    .digest('hex');
}

/** Keys are stored hashed: they are the client's strings, which may carry more than a random value. */
export const hashIdempotencyKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Why `key` cannot be an idempotency key, or undefined when it can: 1–255 printable ASCII characters. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'Idempotency-Key must not be empty';
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long`;
  if (!/^[\x20-\x7e]+$/.test(key)) return 'Idempotency-Key must be printable ASCII';
  return undefined;
}
