import type { NextFunction, Request, Response } from 'express';

/** What a `ROLE=worker` process answers over HTTP (SPEC §13): its health and metrics, nothing public. */
const WORKER_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** Express middleware of a worker: every other path is 404 problem+json, before the console, the API or the docs. */
export function workerRoutesOnly(req: Request, res: Response, next: NextFunction): void {
  if (WORKER_PATHS.has(req.path.replace(/\/$/, '') || '/')) return next();
  res
    .status(404)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'https://partnerflow.dev/problems/not_served_by_worker',
        title: 'Not Found',
        status: 404,
        detail: 'This process runs with ROLE=worker: it serves /health, /health/live, /health/ready and /metrics only; the API is served by ROLE=web or all',
        code: 'not_served_by_worker',
        instance: req.originalUrl,
      }),
    );
}
