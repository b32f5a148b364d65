import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { ExpressSettings } from '../../../../libs/http/lean-json-route.js';
import { problemFor } from '../../../../libs/http/problem-details.filter.js';
import { logRequest } from '../../../../libs/http/request-logger.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { RateLimited } from './click-limiter.js';
import { REDIRECT_HEADERS, type ReferralRedirect } from './referral-redirect.js';

/** A plain GET of a referral link: no encoded characters, at most the `to` parameter in the query. */
const PATH = /^\/r\/([A-Za-z0-9_-]{1,64})(?:\?([^#]*))?$/;

/**
 * `GET /r/{referralKey}` served straight from node:http, before Express and Nest (as the Stripe webhook route is):
 * the hottest public path, where the framework's pipeline would cost more than the click's one write. It answers
 * as the Nest route does (status, the security headers the app's middleware sets (`headers`), Location,
 * Cache-Control, problem+json with Express's ETag, the request log line) and leaves every other request (HEAD, encoded paths, other parameters) to the framework.
 */
export function referralRedirectRoute(
  redirect: ReferralRedirect,
  express: ExpressSettings,
  log: Logger,
  lines: Logger,
  headers: [string, string][] = [],
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const poweredBy = express.enabled('x-powered-by');
  const etagOf = express.get('etag fn') as ((body: Buffer) => string | undefined) | undefined;
  const trust = express.get('trust proxy fn') as (addr: string, i: number) => boolean;

  const problem = (res: ServerResponse, path: string, e: unknown, done: () => void) => {
    const p = problemFor(e, path, log);
    const buf = Buffer.from(JSON.stringify(p), 'utf8');
    res.statusCode = p.status;
    for (const [name, value] of headers) res.setHeader(name, value);
    if (poweredBy) res.setHeader('X-Powered-By', 'Express');
    if (e instanceof RateLimited) res.setHeader('Retry-After', String(e.retryAfter));
    res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
    res.setHeader('Content-Length', buf.length);
    const tag = typeof etagOf === 'function' ? etagOf(buf) : undefined;
    if (tag) res.setHeader('ETag', tag);
    res.end(buf, done);
  };

  return (req, res) => {
    if (req.method !== 'GET') return false;
    const match = PATH.exec(req.url ?? '');
    if (!match) return false;
    let to: string | null = null;
    if (match[2]) {
      const query = new URLSearchParams(match[2]);
      const keys = [...query.keys()];
      if (keys.some((k) => k !== 'to') || query.getAll('to').length > 1) return false;
      to = query.get('to');
    }
    const start = process.hrtime.bigint();
    const path = `/r/${match[1]}`;
    const done = () => logRequest(lines, req.method, path, res.statusCode, start);
    const visitor = { ip: proxyaddr(req, trust), userAgent: req.headers['user-agent'] ?? '' };
    redirect.follow(match[1]!, to, visitor).then(
      (location) => {
        res.statusCode = 302;
        for (const [name, value] of headers) res.setHeader(name, value);
        if (poweredBy) res.setHeader('X-Powered-By', 'Express');
        for (const [name, value] of Object.entries(REDIRECT_HEADERS)) res.setHeader(name, value);
        res.setHeader('Location', location);
        res.end(done);
      },
      (e: unknown) => (res.headersSent ? log.error({ err: e, path }, 'unhandled error') : problem(res, path, e, done)),
    );
    return true;
  };
}
