import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { PartnersQuery } from './queries/partners/partners.query.js';
import { partnersProjection } from './queries/partners/partners.projection.js';
import { PortalMeController } from './queries/partners/portal-me.http.controller.js';
import { PartnersController } from './commands/create-partner/create-partner.http.controller.js';
import { CreatePartnerHandler } from './commands/create-partner/create-partner.handler.js';
import { UpdatePartnerController } from './commands/update-partner/update-partner.http.controller.js';
import { UpdatePartnerHandler } from './commands/update-partner/update-partner.handler.js';
import { PartnerAccessController } from './commands/partner-access/partner-access.http.controller.js';
import { RotatePartnerKeyHandler, SetPartnerActiveHandler } from './commands/partner-access/partner-access.handler.js';
import { SetBankDetailsHandler } from './commands/set-bank-details/set-bank-details.handler.js';
import { RecordLoginLinkIssuedHandler } from './commands/partner-access/login-link-issued.handler.js';
import {
  RecordStripeAccountHandler,
  RecordStripeAccountStatusHandler,
  RequestStripeAccountHandler,
} from './commands/connect-account/connect-account.handlers.js';

@Module({
  controllers: [PartnersController, UpdatePartnerController, PortalMeController, PartnerAccessController],
  providers: [
    PartnersQuery,
    CreatePartnerHandler,
    UpdatePartnerHandler,
    RotatePartnerKeyHandler,
    SetPartnerActiveHandler,
    SetBankDetailsHandler,
    RecordLoginLinkIssuedHandler,
    RequestStripeAccountHandler,
    RecordStripeAccountHandler,
    RecordStripeAccountStatusHandler,
  ],
  exports: [PartnersQuery],
})
export class PartnersModule implements OnModuleInit {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  onModuleInit(): void {
    this.runner.addProjection(partnersProjection);
  }
}
