import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { CompaniesModule } from '../companies/index.js';
import { LeadsQuery } from './queries/leads/leads.query.js';
import { leadsProjection } from './queries/leads/leads.projection.js';
import { LeadsController } from './commands/create-lead/create-lead.http.controller.js';
import { CreateLeadHandler } from './commands/create-lead/create-lead.handler.js';
import { CustomerLinker } from './commands/link-customer/customer-linker.js';
import { LinkLeadCustomerHandler } from './commands/link-customer/link-customer.handler.js';
import { LinkCustomerController } from './commands/link-customer/link-customer.http.controller.js';
import { BulkLinkCustomersHandler } from './commands/bulk-link/bulk-link.handler.js';
import { RecordPaymentHandler } from './commands/record-payment/record-payment.handler.js';
import { RecordReversalHandler } from './commands/record-reversal/record-reversal.handler.js';
import { RecordCustomerMetadataHandler } from './commands/record-customer-metadata/record-customer-metadata.handler.js';
import { LinkPaymentReferencesHandler } from './commands/link-payment-references/link-payment-references.handler.js';
import { InvoicePaymentLookup } from './webhooks/invoice-payment-lookup.js';
import { CustomerMetadataLookup } from './webhooks/customer-metadata-lookup.js';
import { PromotionCodeLookup } from './webhooks/promotion-code-lookup.js';
import { LinkCheckoutSessionHandler } from './commands/link-checkout/link-checkout.handler.js';
import { CheckoutPaymentLinker } from './commands/link-checkout/checkout-payment-linker.js';
import { RecordClickLeadHandler } from './commands/click-lead/click-lead.handler.js';
import { ReconcileStripeEventsHandler } from './commands/reconcile/reconcile.handler.js';
import { ReconcileController } from './commands/reconcile/reconcile.http.controller.js';
import { ReconcileCron } from './commands/reconcile/reconcile.cron.js';
import { PaymentsQuery } from './queries/payments/payments.query.js';
import { PaymentDiagnosisQuery } from './queries/payments/payment-diagnosis.query.js';
import { PaymentsController } from './queries/payments/payments.http.controller.js';
import { paymentsProjection } from './queries/payments/payments.projection.js';
import { StripeWebhookController } from './webhooks/stripe-webhook.http.controller.js';
import { StripeInbox } from './webhooks/stripe-inbox.js';
import { WebhookSecrets } from './webhooks/webhook-secrets.js';
import { StripeEventsReactor } from './webhooks/stripe-events.reactor.js';

@Module({
  imports: [CompaniesModule],
  controllers: [LinkCustomerController, LeadsController, PaymentsController, StripeWebhookController, ReconcileController],
  providers: [
    LeadsQuery,
    PaymentsQuery,
    PaymentDiagnosisQuery,
    CustomerLinker,
    CheckoutPaymentLinker,
    CreateLeadHandler,
    LinkLeadCustomerHandler,
    BulkLinkCustomersHandler,
    RecordPaymentHandler,
    RecordReversalHandler,
    RecordCustomerMetadataHandler,
    LinkPaymentReferencesHandler,
    InvoicePaymentLookup,
    CustomerMetadataLookup,
    PromotionCodeLookup,
    LinkCheckoutSessionHandler,
    RecordClickLeadHandler,
    ReconcileStripeEventsHandler,
    ReconcileCron,
    StripeInbox,
    WebhookSecrets,
    StripeEventsReactor,
  ],
  exports: [LeadsQuery, PaymentsQuery],
})
export class AttributionModule implements OnModuleInit {
  constructor(
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    private readonly reactor: StripeEventsReactor,
  ) {}

  onModuleInit(): void {
    this.runner.addProjection(leadsProjection);
    this.runner.addProjection(paymentsProjection);
    this.runner.addReactor(this.reactor);
  }
}
