import type { NextFunction, Request } from 'express';

const NUL_ESCAPE = /\\u0000/i;
const MAX_DEPTH = 32;

/**
 * Refuses, as 400 problem+json, input that no handler could store or safely walk:
 * NUL characters (PostgreSQL text/jsonb cannot hold U+0000), lone UTF-16 surrogates (not valid
 * Unicode, rejected by jsonb and by validators' URI decoding), and JSON nested deeper than 32
 * levels (class-transformer recurses without a limit).
 */
/** What the guard reads of a request (Express's, with Nest's `rawBody`). */
export type GuardedRequest = Pick<Request, 'originalUrl' | 'path' | 'body'> & { rawBody?: Buffer };
/** What the guard does with a response: Express's `res.status(…).type(…).send(…)`. */
export interface ProblemAnswer {
  status(code: number): ProblemAnswer;
  type(type: string): ProblemAnswer;
  send(body: string): unknown;
}

export function inputGuard(req: GuardedRequest, res: ProblemAnswer, next: NextFunction): void {
  const problem = urlProblem(req) ?? bodyProblem(req);
  if (!problem) return next();
  res
    .status(400)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: problem.detail, code: problem.code, instance: req.path }));
}

export type Problem = { code: string; detail: string };

function urlProblem(req: GuardedRequest): Problem | undefined {
  if (/%00/.test(req.originalUrl) || req.originalUrl.includes('\u0000')) return { code: 'nul_character', detail: 'The request URL contains a NUL character' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.originalUrl);
  } catch {
    return { code: 'malformed_url', detail: 'The request URL is not valid percent-encoded UTF-8' };
  }
  return decoded.isWellFormed() ? undefined : { code: 'malformed_unicode', detail: 'The request URL contains a lone UTF-16 surrogate' };
}

function bodyProblem(req: GuardedRequest): Problem | undefined {
  const raw = req.rawBody;
  if (raw !== undefined && (raw.includes(0) || NUL_ESCAPE.test(raw.toString('latin1'))))
    return { code: 'nul_character', detail: 'The request body contains a NUL character' };
  return walk(req.body);
}

/**
 * bodyProblem for a JSON body already decoded (`text`) and parsed (`body`), without walking the parsed
 * value in the usual case: decoded UTF-8 never holds a lone surrogate, so one can only come from a
 * `\uD800`–`\uDFFF` escape in the text, and the nesting depth is counted on the text. Only when the
 * text has such an escape or is nested that deep is the value walked, so the answer is bodyProblem's.
 */
export function jsonBodyProblem(raw: Buffer, text: string, body: unknown): Problem | undefined {
  if (raw.includes(0) || raw.includes('\\u0000') || raw.includes('\\U0000'))
    return { code: 'nul_character', detail: 'The request body contains a NUL character' };
  return SURROGATE_ESCAPE.test(text) || nestedAtLeast(text, MAX_DEPTH + 1) ? walk(body) : undefined;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Whether valid JSON `text` has a container `levels` deep (the outermost one is level 1). */
function nestedAtLeast(text: string, levels: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth >= levels) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
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
