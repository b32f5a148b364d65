import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../../../libs/http/domain-error.js';
import { PUBLISHABLE_KEY } from '../domain/tracking-input.js';
import type { TrackingSite } from '../../companies/index.js';
import { TrackingDirectory } from './record-click/tracking-directory.js';

const originNotAllowed = (origin: string) =>
  new DomainError(403, 'origin_not_allowed', `Pages of ${origin} may not call the tracking endpoints: add the origin to the company's tracking.allowedOrigins`);

/**
 * CORS of /v1/track/*, for the origins a company allows only. A preflight names no company (it has no body), so
 * it passes for an origin some company allows; the request itself is then checked against the company its
 * publishable key names, and refused (403, nothing stored, no CORS headers) from any other origin. A request
 * without Origin (not from a browser page) is not a CORS request.
 */
@Injectable()
export class TrackingCors {
  constructor(private readonly directory: TrackingDirectory) {}

  async preflight(req: Request, res: Response, methods: string): Promise<void> {
    const origin = req.headers.origin;
    if (!origin || !(await this.directory.anyAllowsOrigin(origin))) throw originNotAllowed(origin ?? '(no Origin header)');
    res
      .status(204)
      .set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': methods,
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      })
      .end();
  }

  /** The company of a publishable key, once the request's origin is one it allows (then answered with CORS headers). */
  async site(publishableKey: unknown, req: Request, res: Response): Promise<TrackingSite> {
    if (typeof publishableKey !== 'string' || !PUBLISHABLE_KEY.test(publishableKey)) {
      throw new DomainError(400, 'validation_failed', 'publishableKey must be the company’s publishable key (pk_…)', {
        errors: [{ field: 'publishableKey', message: 'must be a publishable key (pk_…)' }],
      });
    }
    const site = await this.directory.siteByPublishableKey(publishableKey);
    if (!site)
      throw new DomainError(401, 'invalid_publishable_key', 'Unknown publishable key', {
        errors: [{ field: 'publishableKey', message: 'unknown publishable key' }],
      });
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (origin !== undefined) {
      if (!site.tracking.allowedOrigins.includes(origin)) throw originNotAllowed(origin);
      res.setHeader('Access-Control-Allow-Origin', origin);
    }
    return site;
  }
}
