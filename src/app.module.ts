import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreModule, type CoreDeps } from './core/core.module.js';
import { HealthController } from './health/health.http.controller.js';
import { MetricsController } from './health/metrics.http.controller.js';
import { CompaniesModule } from './companies/companies.module.js';
import { PartnersModule } from './partners/partners.module.js';
import { AttributionModule } from './attribution/attribution.module.js';
import { PayoutsModule } from './payouts/payouts.module.js';
import { CurrencyModule } from './currency/currency.module.js';
import { CommissionsModule } from './commissions/commissions.module.js';
import { InvoicingModule } from './invoicing/invoicing.module.js';
import { AuditModule } from './audit/audit.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { OutboundModule } from './outbound/index.js';
import { TrackingModule } from './tracking/tracking.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';

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
