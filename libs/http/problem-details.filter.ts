import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error.js';
import { WrongExpectedVersion } from '../event-store/event-store.port.js';
import type { Logger } from '../logging/logger.js';
import { MoneyError } from '../money/index.js';
import { isUnavailable } from '../database/unavailable.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [k: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Every error leaves as RFC 9457 application/problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const problem = problemFor(error, req.originalUrl?.split('?')[0], this.log);
    if (res.headersSent) return;
    if (typeof problem.retryAfter === 'number') res.setHeader('Retry-After', String(problem.retryAfter));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

/**
 * The problem answered for `error` at `instance` (the request path), server faults logged: what
 * ProblemDetailsFilter sends, shared with the handlers served outside Nest (lean-json-route.ts).
 */
export function problemFor(error: unknown, instance: string | undefined, log: Logger): Problem {
  const problem = toProblem(error);
  problem.instance = instance;
  if (problem.status === 503) log.warn({ err: { message: (error as Error)?.message }, path: problem.instance }, 'database or event store unavailable');
  else if (problem.status >= 500) log.error({ err: error, path: problem.instance }, 'unhandled error');
  return problem;
}

/** The problem+json body for `error`, without `instance` (problemFor adds it and logs server faults). */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return {
      type: `https://partnerflow.dev/problems/${error.code}`,
      title: titles[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...error.extra,
    };
  }
  if (error instanceof WrongExpectedVersion) {
    return {
      type: 'https://partnerflow.dev/problems/concurrent_modification',
      title: 'Conflict',
      status: 409,
      detail: 'The resource was changed concurrently; retry the request',
      code: 'concurrent_modification',
    };
  }
  if (error instanceof MoneyError) {
    return { type: `https://partnerflow.dev/problems/${error.code}`, title: titles[422]!, status: 422, detail: error.message, code: error.code };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const extra = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const detail =
      typeof extra.detail === 'string'
        ? extra.detail
        : Array.isArray(extra.message)
          ? extra.message.join('; ')
          : typeof extra.message === 'string'
            ? extra.message
            : error.message;
    const { message: _m, statusCode: _s, error: _e, ...rest } = extra;
    return { type: 'about:blank', title: titles[status] ?? 'Error', status, detail, ...rest };
  }
  if (isUnavailable(error)) {
    return {
      type: 'https://partnerflow.dev/problems/unavailable',
      title: titles[503]!,
      status: 503,
      detail: 'The database or event store is not available right now; retry shortly',
      code: 'unavailable',
      retryAfter: 5,
    };
  }
  const status = bodyParserStatus(error);
  if (status) {
    return {
      type: 'about:blank',
      title: titles[status] ?? 'Bad Request',
      status,
      detail: status === 400 ? 'The request body is not valid JSON' : (error as Error).message,
    };
  }
  return { type: 'about:blank', title: titles[500]!, status: 500, detail: 'An unexpected error occurred' };
}

function bodyParserStatus(e: unknown): number | undefined {
  const err = e as { status?: number; statusCode?: number; type?: string };
  const status = err?.status ?? err?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
