import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { FxRatesQuery } from './queries/fx-rates/fx-rates.query.js';
import { fxRatesProjection } from './queries/fx-rates/fx-rates.projection.js';
import { FxRatesController } from './commands/publish-rates/publish-rates.http.controller.js';
import { PublishFxRatesHandler } from './commands/publish-rates/publish-rates.handler.js';

@Module({
  controllers: [FxRatesController],
  providers: [FxRatesQuery, PublishFxRatesHandler],
  exports: [FxRatesQuery],
})
export class CurrencyModule implements OnModuleInit {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  onModuleInit(): void {
    this.runner.addProjection(fxRatesProjection);
  }
}
