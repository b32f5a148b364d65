import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { AttributionModule } from '../attribution/index.js';
import { CompaniesModule } from '../companies/index.js';
import { PartnersModule } from '../partners/index.js';
import { ClickLimiter } from './commands/record-click/click-limiter.js';
import { ClickRecorder } from './commands/record-click/click-recorder.js';
import { ReferralRedirect } from './commands/record-click/referral-redirect.js';
import { ReferralRedirectController } from './commands/record-click/referral-redirect.http.controller.js';
import { TrackClickController } from './commands/record-click/track-click.http.controller.js';
import { TrackingDirectory } from './commands/record-click/tracking-directory.js';
import { VisitorKeys } from './commands/record-click/visitor-keys.js';
import { TrackLeadController } from './commands/track-lead/track-lead.http.controller.js';
import { TrackingCors } from './commands/tracking-cors.js';
import { FunnelController } from './queries/funnel/funnel.http.controller.js';
import { funnelProjection } from './queries/funnel/funnel.projection.js';
import { FunnelQuery } from './queries/funnel/funnel.query.js';
import { TrackingScriptController } from './queries/script/script.http.controller.js';

/** Referral links, the tracking script and its endpoints, and the partner funnel (SPEC §10). */
@Module({
  imports: [CompaniesModule, PartnersModule, AttributionModule],
  controllers: [ReferralRedirectController, TrackClickController, TrackLeadController, TrackingScriptController, FunnelController],
  providers: [ClickLimiter, ClickRecorder, ReferralRedirect, TrackingDirectory, VisitorKeys, TrackingCors, FunnelQuery],
  exports: [ReferralRedirect],
})
export class TrackingModule implements OnModuleInit {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  onModuleInit(): void {
    this.runner.addProjection(funnelProjection);
  }
}
