import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { LeadsQuery } from './queries/leads/leads.query.js';
import { leadsProjection } from './queries/leads/leads.projection.js';
import { LeadsController } from './commands/create-lead/create-lead.http.controller.js';
import { CreateLeadHandler } from './commands/create-lead/create-lead.handler.js';

@Module({
  controllers: [LeadsController],
  providers: [LeadsQuery, CreateLeadHandler],
  exports: [LeadsQuery],
})
export class AttributionModule implements OnModuleInit {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  onModuleInit(): void {
    this.runner.addProjection(leadsProjection);
  }
}
