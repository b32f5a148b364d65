import { BadRequestException } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger.js';
import { jsonBodyProblem } from './input-guard.js';
import { problemFor } from './problem-details.filter.js';
import { logRequest } from './request-logger.js';

/** What a lean route needs of the Express app behind it, to answer with the same headers. */
export interface ExpressSettings {
  enabled(setting: string): boolean;
  get(setting: string): unknown;
}

export interface LeanJsonRoute {
  /** The route's method. */
  method: string;
  /** Matched against the whole request URL; the capture groups are the route parameters. Keep it narrow: no `%`, no query. */
  path: RegExp;
  /** Largest body in bytes: the JSON body parser's limit. */
  limit: number;
  /** Status of a successful answer. */
  status: number;
  /** After the body checks; answers the JSON body, or throws what the route's controller throws. */
  handle(params: string[], req: IncomingMessage, raw: Buffer, body: unknown): Promise<object>;
}

/** Answers a request and says true, or says false and leaves it to the next. */
export type Serve = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Serves hot routes straight from node:http, before Express and Nest see the request, answering
 * exactly what the framework pipeline of bootstrap.ts answers for them: the JSON body parser (raw
 * body kept), the request logger, the input guard, the route's handler, ProblemDetailsFilter, and
 * Express's response headers (X-Powered-By, Content-Type with charset, Content-Length, weak ETag).
 * A lean route takes only requests whose answer it can give that way (its method and plain path, a
 * body with Content-Length within the limit, no Content-Encoding, Content-Type application/json in
 * UTF-8); every other request, and every other route, goes to Express unchanged. The Nest route
 * stays registered for those requests and for the OpenAPI document.
 */
export function serveBeforeFramework(
  server: Server,
  express: ExpressSettings,
  log: Logger,
  lines: Logger,
  routes: LeanJsonRoute[],
  headers: [string, string][] = [],
  others: Serve[] = [],
): void {
  const served = [...routes.map((r) => leanJsonRoute(r, express, log, lines, headers)), ...others];
  const framework = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (framework.length !== 1) throw new Error(`expected the framework's one request listener, found ${framework.length}`);
  const next = framework[0]!;
  server.removeListener('request', next);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const serve of served) if (serve(req, res)) return;
    next.call(server, req, res);
  });
}

const JSON_UTF8 = /^application\/json(?:; ?charset=(?:utf-8|"utf-8"))?$/i;
const DIGITS = /^\d{1,10}$/;
/** body-parser's strict mode: the first character that is not JSON whitespace. */
const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/;

function leanJsonRoute(route: LeanJsonRoute, express: ExpressSettings, log: Logger, lines: Logger, headers: [string, string][]): Serve {
  const { send, problem: sendProblem, etag } = expressLikeSender(express, headers);
  const acks = new Map<string, { buf: Buffer; etag: string | undefined }>();

  const answer = async (req: IncomingMessage, res: ServerResponse, params: string[], path: string, raw: Buffer) => {
    // The JSON body parser: its errors reach ProblemDetailsFilter before the request logger is installed, so they are not logged.
    const text = decodeUtf8(raw);
    let body: unknown;
    try {
      body = parseJson(text);
    } catch (e) {
      return sendProblem(res, problemFor(new BadRequestException((e as Error).message, { cause: e }), path, log));
    }
    const start = process.hrtime.bigint();
    const done = () => logRequest(lines, req.method, path, res.statusCode, start);
    const guard = jsonBodyProblem(raw, text, body);
    if (guard) {
      return sendProblem(res, { type: 'about:blank', title: 'Bad Request', status: 400, detail: guard.detail, code: guard.code, instance: path }, done);
    }
    let reply: object;
    try {
      reply = await route.handle(params, req, raw, body);
    } catch (e) {
      return sendProblem(res, problemFor(e, path, log), done);
    }
    // Successful answers are few and small (an acknowledgement): their bytes and ETag are kept.
    const json = JSON.stringify(reply);
    let ack = acks.get(json);
    if (!ack) {
      const buf = Buffer.from(json, 'utf8');
      ack = { buf, etag: etag(buf) };
      if (acks.size < 16) acks.set(json, ack);
    }
    send(res, route.status, 'application/json', ack.buf, ack.etag, done);
  };

  return (req, res) => {
    if (req.method !== route.method) return false;
    const url = req.url ?? '';
    const match = route.path.exec(url);
    if (!match) return false;
    const h = req.headers;
    const length = h['content-length'];
    if (length === undefined || !DIGITS.test(length) || h['transfer-encoding'] !== undefined) return false;
    const size = Number(length);
    if (size === 0 || size > route.limit) return false;
    const encoding = h['content-encoding'];
    if (encoding && encoding.toLowerCase() !== 'identity') return false;
    if (!JSON_UTF8.test(h['content-type'] ?? '')) return false;

    const params = match.slice(1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // A client that goes away mid-body gets nothing, as with Express (its answer would find the socket closed).
    req.on('error', () => undefined);
    req.on('end', () => {
      answer(req, res, params, url, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).catch((e: unknown) => {
        // Only a fault of this module gets here: answered as the filter answers any unexpected error.
        if (res.headersSent) return void log.error({ err: e, path: url }, 'unhandled error');
        sendProblem(res, problemFor(e, url, log));
      });
    });
    return true;
  };
}

/** body-parser's decoding of a UTF-8 body (iconv-lite): invalid sequences become U+FFFD, a leading BOM is dropped. */
export function decodeUtf8(raw: Buffer): string {
  const text = raw.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** body-parser's JSON parsing (strict: an object or array at the top), with its error messages. */
export function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  if (text[0] !== '{' && text[0] !== '[') {
    const first = FIRST_NON_WHITESPACE.exec(text)?.[1] || undefined;
    if (first !== '{' && first !== '[') throw strictViolation(text, first);
  }
  return JSON.parse(text);
}

/** body-parser's createStrictSyntaxError: the native message for the text from `char` on masked. */
function strictViolation(text: string, char: string | undefined): SyntaxError {
  const index = text.indexOf(char as string);
  const partial = index !== -1 ? text.substring(0, index) + '#'.repeat(text.length - index) : '';
  try {
    JSON.parse(partial);
    return new SyntaxError('strict violation');
  } catch (e) {
    return new SyntaxError((e as Error).message.replace(/#+/g, (placeholder) => text.substring(index, index + placeholder.length)));
  }
}

/**
 * res.send of a JSON or problem body as Express 5 does it: the app's middleware headers (`headers`, e.g. helmet's),
 * then Express's in its order, weak ETag from the app's `etag fn`.
 */
function expressLikeSender(express: ExpressSettings, headers: [string, string][]) {
  const poweredBy = express.enabled('x-powered-by');
  const etagOf = express.get('etag fn') as ((body: Buffer) => string | undefined) | undefined;
  const etag = (buf: Buffer) => (typeof etagOf === 'function' ? etagOf(buf) : undefined);
  const send = (res: ServerResponse, status: number, type: string, buf: Buffer, tag: string | undefined, onFinish?: () => void) => {
    res.statusCode = status;
    for (const [name, value] of headers) res.setHeader(name, value);
    if (poweredBy) res.setHeader('X-Powered-By', 'Express');
    res.setHeader('Content-Type', `${type}; charset=utf-8`);
    res.setHeader('Content-Length', buf.length);
    if (tag) res.setHeader('ETag', tag);
    res.end(buf, onFinish);
  };
  const problem = (res: ServerResponse, p: { status: number; [k: string]: unknown }, onFinish?: () => void) => {
    const buf = Buffer.from(JSON.stringify(p), 'utf8');
    send(res, p.status, 'application/problem+json', buf, etag(buf), onFinish);
  };
  return { send, problem, etag };
}
