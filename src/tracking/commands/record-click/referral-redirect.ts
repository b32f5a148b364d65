import { Injectable } from '@nestjs/common';
import { conflict, DomainError } from '../../../../libs/http/domain-error.js';
import { landingTarget } from '../../domain/landing.js';
import { ClickRecorder, type Visitor } from './click-recorder.js';
import { TrackingDirectory } from './tracking-directory.js';
import { VisitorKeys } from './visitor-keys.js';

/** Headers of every referral redirect: each click must reach the server, so nothing may cache it. */
export const REDIRECT_HEADERS = { 'Cache-Control': 'no-store', 'Content-Length': '0' } as const;

/**
 * `GET /r/{referralKey}[?to=]`: checks everything before recording (unknown key 404, no landing URL 409, a `to`
 * off the landing site 400: nothing stored), records the click, answers where to redirect. Shared by the lean
 * route served before the framework and the Nest route.
 */
@Injectable()
export class ReferralRedirect {
  constructor(
    private readonly recorder: ClickRecorder,
    private readonly directory: TrackingDirectory,
    private readonly keys: VisitorKeys,
  ) {}

  async follow(referralKey: string, to: string | null, visitor: Visitor): Promise<string> {
    const link = await this.recorder.resolve(referralKey, visitor);
    const landingUrl = (await this.directory.site(link.companyId))?.tracking.landingUrl;
    if (!landingUrl)
      throw conflict('tracking_not_configured', 'This company has not set its landing URL (tracking.landingUrl): referral links cannot redirect yet');
    const checked = landingTarget(landingUrl, to, null);
    if (!checked.ok) throw new DomainError(400, 'invalid_redirect', checked.reason, { errors: [{ field: 'to', message: checked.reason }] });
    const click = await this.recorder.count(link, this.keys.of(link.companyId, link.partnerId, visitor.ip, visitor.userAgent), visitor, {
      referralKey,
      source: 'link',
      url: null,
      referrer: null,
    });
    const target = landingTarget(landingUrl, to, click.clickId);
    return (target as { url: string }).url;
  }
}
