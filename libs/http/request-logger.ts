import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';

/**
 * The logger request lines go to: the app's logger without its redaction paths. A request line holds
 * only method, path, status and duration (strings and numbers at the top level), which no redaction
 * path (`*.apiKey`, `req.headers.authorization`, …) can match, so the line written is the same; the
 * redaction pass would only copy and scan each line. Anything added to the line must stay that way.
 */
export const requestLines = (log: Logger): Logger => log.child({}, { redact: [] });

/** Writes the line for one request that started at `start` (process.hrtime.bigint()). */
export function logRequest(lines: Logger, method: string | undefined, path: string, status: number, start: bigint): void {
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const line = { method, path, status, ms: Math.round(ms * 10) / 10 };
  if (status >= 500) lines.error(line, 'request');
  else lines.info(line, 'request');
}

/** One structured line per request; never the headers, so keys never reach the logs. */
export function requestLogger(log: Logger) {
  const lines = requestLines(log);
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => logRequest(lines, req.method, req.path, res.statusCode, start));
    next();
  };
}
