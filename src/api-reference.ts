import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

interface ExpressLike {
  use(path: string, handler: (req: Request, res: Response, next: NextFunction) => unknown): unknown;
}

/** Redoc's one-file browser build, from the npm package (MIT): nothing is loaded from a CDN. */
const BUNDLE = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partnerflow API reference</title>
<style>body { margin: 0; }</style>
</head>
<body>
<redoc spec-url="/docs-json" required-props-first="true" expand-responses="200,201" sort-tags-alphabetically="false"></redoc>
<script src="/docs/reference/redoc.standalone.js"></script>
</body>
</html>
`;

/**
 * The API reference page beside Swagger UI: `GET /docs/reference` (Redoc rendering /docs-json) and its script, compressed
 * once on first use (940 KB, 288 KB gzip). The page's CSP is the app's (helmet) plus `worker-src blob:`: Redoc builds
 * its search index in a worker made from a blob.
 */
export function serveApiReference(app: ExpressLike): void {
  let script: { raw: Buffer; gzip: Buffer; br: Buffer } | undefined;
  app.use('/docs/reference', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/') {
      res.setHeader('Content-Security-Policy', `${String(res.getHeader('Content-Security-Policy') ?? "default-src 'self'")};worker-src 'self' blob:`);
      res.setHeader('Cache-Control', 'no-cache');
      return void res.type('html').send(PAGE);
    }
    if (req.path !== '/redoc.standalone.js') return next();
    if (!script) {
      const raw = readFileSync(BUNDLE);
      script = { raw, gzip: gzipSync(raw, { level: 9 }), br: brotliCompressSync(raw) };
    }
    const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    if (encoding === 'br' || encoding === 'gzip') res.setHeader('Content-Encoding', encoding);
    res.type('text/javascript').send(encoding === 'br' ? script.br : encoding === 'gzip' ? script.gzip : script.raw);
  });
}
