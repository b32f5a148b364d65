import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/**
 * Security headers of every answer (helmet): nosniff, no framing (frame-ancestors 'none'), HSTS (browsers
 * honour it over https only), no referrer, a CSP that lets a same-origin console run (`script-src 'self'`).
 * `scriptOrigins`, `connectOrigins`, `frameOrigins`: what else the console may load, call and frame (Stripe.js).
 */
export function securityHeaders(opts: { scriptOrigins?: string[]; connectOrigins?: string[]; frameOrigins?: string[] } = {}) {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", ...(opts.scriptOrigins ?? [])],
        'connect-src': ["'self'", ...(opts.connectOrigins ?? [])],
        'frame-src': ["'self'", ...(opts.frameOrigins ?? [])],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}

/** The headers a middleware like helmet's sets, name and value, in order: for answers sent before Express (lean-json-route.ts). */
export function headersSetBy(middleware: (req: IncomingMessage, res: ServerResponse, next: (e?: unknown) => void) => void): [string, string][] {
  const set: [string, string][] = [];
  const req = Object.assign(new IncomingMessage(new Socket()), { method: 'GET', url: '/' });
  // A response that only records what is set, in order (a real one keeps one value per lower-cased name).
  const res = new ServerResponse(req);
  res.setHeader = (name, value) => (set.push([name, String(value)]), res);
  res.removeHeader = () => undefined;
  res.getHeader = () => undefined;
  middleware(req, res, () => undefined);
  return set;
}
