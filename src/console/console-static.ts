import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextFunction, Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { AppConfig } from '../../libs/config/config.js';

interface ExpressLike {
  use(path: string, handler: (req: Request, res: Response, next: NextFunction) => unknown): unknown;
  use(handler: (req: Request, res: Response, next: NextFunction) => unknown): unknown;
}

/** The repository's `web/dist` (the console's build), from the source tree or from `dist/`. */
export function consoleBuildDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'web', 'package.json'))) return join(dir, 'web', 'dist');
  }
  return undefined;
}

/** Pages of the single-page app: a reload or a deep link gets index.html; everything else stays the API's. */
const PAGE = /^\/(?:$|(?:admin|portal)(?:\/|$))/;

const attr = (s: string) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** What the page needs from the server's configuration, as a meta tag (no extra request, no private endpoint). */
export function withConsoleConfig(html: string, config: Pick<AppConfig, 'stripeJsUrl' | 'stripePublishableKey'>): string {
  const value = JSON.stringify({ stripeJsUrl: config.stripeJsUrl, stripePublishableKey: config.stripePublishableKey ?? null });
  return html.replace('</head>', `<meta name="partnerflow-config" content="${attr(value)}">\n</head>`);
}

/**
 * Serves the built console on the API's port: hashed assets (pre-compressed .br/.gz next to them) cached
 * for a year, index.html for `/`, `/admin/…` and `/portal/…` revalidated on every load. Answers false
 * (serves nothing) when the console has not been built.
 */
export function serveConsole(app: ExpressLike, config: Pick<AppConfig, 'stripeJsUrl' | 'stripePublishableKey'>, dir = consoleBuildDir()): boolean {
  const indexFile = dir && join(dir, 'index.html');
  if (!dir || !indexFile || !existsSync(indexFile)) return false;
  const html = withConsoleConfig(readFileSync(indexFile, 'utf8'), config);
  app.use(
    '/assets',
    expressStaticGzip(join(dir, 'assets'), {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: { immutable: true, maxAge: '365d' },
    }),
  );
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !PAGE.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  });
  return true;
}

/**
 * What the console's Content-Security-Policy must allow besides itself: Stripe.js (its script, its API, its
 * card frames, as Stripe documents them), or a stand-in at STRIPE_JS_URL that calls the API of its own origin.
 */
export function stripeJsOrigins(config: Pick<AppConfig, 'stripeJsUrl'>): { scriptOrigins: string[]; connectOrigins: string[]; frameOrigins: string[] } {
  const origin = new URL(config.stripeJsUrl).origin;
  if (origin === 'https://js.stripe.com')
    return { scriptOrigins: [origin], connectOrigins: ['https://api.stripe.com'], frameOrigins: [origin, 'https://hooks.stripe.com'] };
  return { scriptOrigins: [origin], connectOrigins: [origin], frameOrigins: [origin] };
}
