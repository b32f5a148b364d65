import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { CompaniesModule } from '../companies/index.js';
import { PartnersModule } from '../partners/index.js';
import { CurrencyModule } from '../currency/index.js';
import { AttributionModule } from '../attribution/index.js';
import { FraudFactsReader } from './commands/earn-commission/fraud-facts.js';
import { ReviewCommissionHandler } from './commands/review-commission/review-commission.handler.js';
import { BulkReviewCommissionsHandler } from './commands/review-commission/bulk-review.handler.js';
import { CommissionReviewController } from './commands/review-commission/review-commission.http.controller.js';
import { commissionsProjection } from './queries/commissions/commissions.projection.js';
import { ledgerProjection } from './queries/ledger/ledger.projection.js';
import { CommissionsQuery } from './queries/commissions/commissions.query.js';
import { CommissionsController } from './queries/commissions/commissions.http.controller.js';
import { BalanceQuery } from './queries/ledger/balance.query.js';
import { BalanceController } from './queries/ledger/balance.http.controller.js';
import { PortalBalanceController } from './queries/ledger/portal-balance.http.controller.js';
import { DisplayCurrency } from './queries/display-currency.js';
import { EarnCommissionHandler } from './commands/earn-commission/earn-commission.handler.js';
import { ReverseCommissionHandler } from './commands/reverse-commission/reverse-commission.handler.js';
import { CommissionsReactor } from './commands/commissions.reactor.js';
import { MakePayableJob } from './commands/make-payable/make-payable.job.js';

@Module({
  imports: [CompaniesModule, PartnersModule, CurrencyModule, AttributionModule],
  controllers: [CommissionsController, CommissionReviewController, BalanceController, PortalBalanceController],
  providers: [
    CommissionsQuery,
    BalanceQuery,
    DisplayCurrency,
    EarnCommissionHandler,
    ReverseCommissionHandler,
    CommissionsReactor,
    MakePayableJob,
    FraudFactsReader,
    ReviewCommissionHandler,
    BulkReviewCommissionsHandler,
  ],
  exports: [CommissionsQuery, BalanceQuery, DisplayCurrency, MakePayableJob],
})
export class CommissionsModule implements OnModuleInit {
  constructor(
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    private readonly reactor: CommissionsReactor,
  ) {}

  onModuleInit(): void {
    this.runner.addProjection(commissionsProjection);
    this.runner.addProjection(ledgerProjection);
    this.runner.addReactor(this.reactor);
  }
}
