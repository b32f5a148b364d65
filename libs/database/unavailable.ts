import { ConnectionException } from '@mikro-orm/core';

/** Node socket errors of a database or event store that is down, restarting or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs of a server that cannot serve now: connection exceptions (08…), shutting down or starting (57P01–57P03), too many connections. */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
const MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Connection refused|the database system is (starting up|shutting down)/i;

/** Whether `error` (or an error it wraps) says the database or event store is away, not that the request is wrong. */
export function isUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ConnectionException) return true;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
    if (name === 'UnavailableError') return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
  }
  return false;
}
