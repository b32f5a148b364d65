import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreModule, type CoreDeps } from './core/core.module.js';
import { HealthController, MetricsController } from './health/index.js';
import { CompaniesModule } from './companies/index.js';
import { PartnersModule } from './partners/index.js';
import { AttributionModule } from './attribution/index.js';
import { PayoutsModule } from './payouts/index.js';
import { CurrencyModule } from './currency/index.js';
import { CommissionsModule } from './commissions/index.js';
import { InvoicingModule } from './invoicing/index.js';
import { AuditModule } from './audit/index.js';
import { SessionsModule } from './sessions/index.js';
import { ReportsModule } from './reports/index.js';
import { OutboundModule } from './outbound/index.js';
import { TrackingModule } from './tracking/index.js';
import { IdempotencyModule } from './idempotency/index.js';

@Module({})
export class AppModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(),
        CompaniesModule,
        PartnersModule,
        AttributionModule,
        PayoutsModule,
        CurrencyModule,
        CommissionsModule,
        InvoicingModule,
        AuditModule,
        SessionsModule,
        ReportsModule,
        OutboundModule,
        TrackingModule,
        IdempotencyModule,
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}
