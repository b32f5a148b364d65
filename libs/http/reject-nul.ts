import type { NextFunction, Request, Response } from 'express';

const NUL_ESCAPE = /\\u0000/i;

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a NUL in a path, query or JSON body could never be
 * stored: refuse it up front as bad input instead of failing deep in a write.
 */
export function rejectNul(req: Request & { rawBody?: Buffer }, res: Response, next: NextFunction): void {
  const raw = req.rawBody;
  const inUrl = /%00/.test(req.originalUrl) || req.originalUrl.includes('\u0000');
  const inBody = raw !== undefined && (raw.includes(0) || NUL_ESCAPE.test(raw.toString('latin1')));
  if (!inUrl && !inBody) return next();
  res
    .status(400)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: `The request ${inUrl ? 'URL' : 'body'} contains a NUL character`, code: 'nul_character', instance: req.path }));
}
