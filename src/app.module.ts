import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreModule, type CoreDeps } from './core/core.module.js';
import { HealthController } from './health/health.http.controller.js';
import { CompaniesModule } from './companies/companies.module.js';
import { PartnersModule } from './partners/partners.module.js';
import { AttributionModule } from './attribution/attribution.module.js';

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
      ],
      controllers: [HealthController],
    };
  }
}
