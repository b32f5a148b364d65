import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import type { AppConfig } from '../../libs/config/config.js';
import { createStripeClient, PLATFORM_STRIPE } from '../../libs/stripe/stripe-client.js';
import { CONFIG, RUNNER } from '../core/tokens.js';
import { CompaniesModule } from '../companies/index.js';
import { PartnersModule } from '../partners/index.js';
import { AttributionModule } from '../attribution/index.js';
import { InvoicingModule } from '../invoicing/index.js';
import { OnboardingLinkController } from './commands/onboarding-link/onboarding-link.http.controller.js';
import { CreateOnboardingLinkHandler } from './commands/onboarding-link/onboarding-link.handler.js';
import { PlatformCountry } from './commands/onboarding-link/platform-country.js';
import { AccountRefresher } from './commands/refresh-account/account-refresher.js';
import { SetupIntentController } from './commands/setup-intent/setup-intent.http.controller.js';
import { CreateCardSetupIntentHandler } from './commands/setup-intent/setup-intent.handler.js';
import { PayInvoiceController } from './commands/pay-invoice/pay-invoice.http.controller.js';
import { PayInvoiceHandler } from './commands/pay-invoice/pay-invoice.handler.js';
import { PayoutSender } from './commands/pay-invoice/payout-sender.js';
import { PlatformWebhookController } from './commands/receive-platform-webhook/receive-platform-webhook.http.controller.js';
import { ReceivePlatformWebhookHandler } from './commands/receive-platform-webhook/receive-platform-webhook.handler.js';
import { PlatformWebhookReactor } from './reactors/platform-webhook.reactor.js';
import { PayoutRecovery } from './reactors/payout-recovery.job.js';
import { PaymentMethodController } from './queries/payment-method/payment-method.http.controller.js';
import { PaymentMethodQuery } from './queries/payment-method/payment-method.query.js';
import { companyPaymentMethodsProjection } from './queries/payment-method/company-payment-methods.projection.js';
import { payoutAttemptsProjection } from './queries/payout-attempts/payout-attempts.projection.js';
import { PayoutAttemptsQuery } from './queries/payout-attempts/payout-attempts.query.js';
import { ReadinessController } from './queries/readiness/readiness.http.controller.js';
import { ReadinessQuery } from './queries/readiness/readiness.query.js';

@Module({
  imports: [CompaniesModule, PartnersModule, InvoicingModule, AttributionModule],
  controllers: [OnboardingLinkController, SetupIntentController, PayInvoiceController, PlatformWebhookController, PaymentMethodController, ReadinessController],
  providers: [
    {
      provide: PLATFORM_STRIPE,
      inject: [CONFIG],
      useFactory: (config: AppConfig) => createStripeClient({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase }),
    },
    CreateOnboardingLinkHandler,
    PlatformCountry,
    AccountRefresher,
    CreateCardSetupIntentHandler,
    PayInvoiceHandler,
    PayoutSender,
    ReceivePlatformWebhookHandler,
    PlatformWebhookReactor,
    PayoutRecovery,
    PaymentMethodQuery,
    PayoutAttemptsQuery,
    ReadinessQuery,
  ],
  exports: [PaymentMethodQuery, ReadinessQuery, PLATFORM_STRIPE],
})
export class PayoutsModule implements OnModuleInit {
  constructor(
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    private readonly webhooks: PlatformWebhookReactor,
  ) {}

  onModuleInit(): void {
    this.runner.addProjection(companyPaymentMethodsProjection);
    this.runner.addProjection(payoutAttemptsProjection);
    this.runner.addReactor(this.webhooks);
  }
}
