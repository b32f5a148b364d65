import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { API_KEY_LOOKUP, AuthGuard } from '../../libs/http/auth.js';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { CompaniesQuery } from './queries/companies/companies.query.js';
import { apiKeysProjection, companiesProjection } from './queries/companies/companies.projection.js';
import { CreateCompanyController } from './commands/create-company/create-company.http.controller.js';
import { CreateCompanyHandler } from './commands/create-company/create-company.handler.js';
import { CompanySettingsController } from './commands/update-settings/update-settings.http.controller.js';
import { UpdateCompanySettingsHandler } from './commands/update-settings/update-settings.handler.js';
import { ConnectStripeController } from './commands/connect-stripe/connect-stripe.http.controller.js';
import { ConnectCompanyStripeHandler } from './commands/connect-stripe/connect-stripe.handler.js';
import { RotateAdminKeyController } from './commands/rotate-admin-key/rotate-admin-key.http.controller.js';
import { RotateAdminKeyHandler } from './commands/rotate-admin-key/rotate-admin-key.handler.js';
import { RecordCompanyPaymentMethodHandler, RecordPlatformCustomerHandler, RequestPlatformCustomerHandler } from './commands/billing/billing.handlers.js';
import { CompanyBillingQuery } from './queries/billing/company-billing.query.js';

@Module({
  controllers: [CreateCompanyController, CompanySettingsController, ConnectStripeController, RotateAdminKeyController],
  providers: [
    CompaniesQuery,
    { provide: API_KEY_LOOKUP, useExisting: CompaniesQuery },
    { provide: APP_GUARD, useClass: AuthGuard },
    CreateCompanyHandler,
    UpdateCompanySettingsHandler,
    ConnectCompanyStripeHandler,
    RotateAdminKeyHandler,
    RequestPlatformCustomerHandler,
    RecordPlatformCustomerHandler,
    RecordCompanyPaymentMethodHandler,
    CompanyBillingQuery,
  ],
  exports: [CompaniesQuery, CompanyBillingQuery],
})
export class CompaniesModule implements OnModuleInit {
  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  onModuleInit(): void {
    this.runner.addProjection(companiesProjection);
    this.runner.addProjection(apiKeysProjection);
  }
}
