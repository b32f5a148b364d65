import type { NextFunction, Request, Response } from 'express';

const NUL_ESCAPE = /\\u0000/i;
const MAX_DEPTH = 32;

/**
 * Refuses, as 400 problem+json, input that no handler could store or safely walk:
 * NUL characters (PostgreSQL text/jsonb cannot hold U+0000), lone UTF-16 surrogates (not valid
 * Unicode, rejected by jsonb and by validators' URI decoding), and JSON nested deeper than 32
 * levels (class-transformer recurses without a limit).
 */
export function inputGuard(req: Request & { rawBody?: Buffer }, res: Response, next: NextFunction): void {
  const problem = urlProblem(req) ?? bodyProblem(req);
  if (!problem) return next();
  res
    .status(400)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: problem.detail, code: problem.code, instance: req.path }));
}

type Problem = { code: string; detail: string };

function urlProblem(req: Request): Problem | undefined {
  if (/%00/.test(req.originalUrl) || req.originalUrl.includes('\u0000')) return { code: 'nul_character', detail: 'The request URL contains a NUL character' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.originalUrl);
  } catch {
    return { code: 'malformed_url', detail: 'The request URL is not valid percent-encoded UTF-8' };
  }
  return decoded.isWellFormed() ? undefined : { code: 'malformed_unicode', detail: 'The request URL contains a lone UTF-16 surrogate' };
}

function bodyProblem(req: Request & { rawBody?: Buffer }): Problem | undefined {
  const raw = req.rawBody;
  if (raw !== undefined && (raw.includes(0) || NUL_ESCAPE.test(raw.toString('latin1')))) return { code: 'nul_character', detail: 'The request body contains a NUL character' };
  return walk(req.body);
}

/** Iterative, so hostile nesting cannot overflow the stack here either. */
function walk(body: unknown): Problem | undefined {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return { code: 'malformed_unicode', detail: 'The request body contains a lone UTF-16 surrogate' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return { code: 'too_deep', detail: `The request body is nested deeper than ${MAX_DEPTH} levels` };
    for (const [k, v] of Object.entries(value)) {
      if (!k.isWellFormed()) return { code: 'malformed_unicode', detail: 'The request body contains a lone UTF-16 surrogate' };
      stack.push([v, depth + 1]);
    }
  }
  return undefined;
}
