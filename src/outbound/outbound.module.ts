import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { AttributionModule } from '../attribution/index.js';
import { CommissionsModule } from '../commissions/index.js';
import { CompaniesModule } from '../companies/index.js';
import { InvoicingModule } from '../invoicing/index.js';
import { PartnersModule } from '../partners/index.js';
import { webhookEndpointsProjection } from './queries/webhook-endpoints/webhook-endpoints.projection.js';
import { WebhookEndpointsQuery } from './queries/webhook-endpoints/webhook-endpoints.query.js';
import { WebhookEndpointsController } from './queries/webhook-endpoints/webhook-endpoints.http.controller.js';
import { WebhookDeliveriesQuery } from './queries/webhook-deliveries/webhook-deliveries.query.js';
import { WebhookDeliveriesController } from './queries/webhook-deliveries/webhook-deliveries.http.controller.js';
import { CreateWebhookEndpointController } from './commands/create-webhook-endpoint/create-webhook-endpoint.http.controller.js';
import { CreateWebhookEndpointHandler, webhookResolverProvider } from './commands/create-webhook-endpoint/create-webhook-endpoint.handler.js';
import { DeleteWebhookEndpointHandler } from './commands/delete-webhook-endpoint/delete-webhook-endpoint.handler.js';
import { RetryWebhookDeliveryController } from './commands/retry-webhook-delivery/retry-webhook-delivery.http.controller.js';
import { RetryWebhookDeliveryHandler } from './commands/retry-webhook-delivery/retry-webhook-delivery.handler.js';
import { WebhookSender } from './jobs/webhook-sender/webhook-sender.job.js';
import { WebhookOutboxReactor } from './reactors/webhook-outbox.reactor.js';
import { ReadModels } from './reactors/read-models.js';
import { ResourceObjects } from './reactors/resource-objects.js';
import { ExportsController } from './queries/exports/exports.http.controller.js';
import { CsvExports } from './queries/exports/csv-export.service.js';
import { OutboundMailModule } from './mail.module.js';
import { MailOutboxReactor } from './reactors/mail-outbox.reactor.js';
import { UnattributedDigestJob } from './jobs/unattributed-digest.job.js';
import { StripeWriteBackReactor } from './reactors/stripe-write-back.reactor.js';
import { StripeWriteBacksController } from './queries/stripe-write-backs/stripe-write-backs.http.controller.js';

/** SPEC §12: what leaves Partnerflow for the company's own systems (webhooks, exports, e-mail, Stripe write-back). */
@Module({
  imports: [CompaniesModule, PartnersModule, AttributionModule, CommissionsModule, InvoicingModule, OutboundMailModule],
  controllers: [
    WebhookEndpointsController,
    CreateWebhookEndpointController,
    WebhookDeliveriesController,
    RetryWebhookDeliveryController,
    ExportsController,
    StripeWriteBacksController,
  ],
  providers: [
    WebhookEndpointsQuery,
    WebhookDeliveriesQuery,
    CreateWebhookEndpointHandler,
    webhookResolverProvider,
    DeleteWebhookEndpointHandler,
    RetryWebhookDeliveryHandler,
    WebhookSender,
    WebhookOutboxReactor,
    ReadModels,
    ResourceObjects,
    CsvExports,
    MailOutboxReactor,
    UnattributedDigestJob,
    StripeWriteBackReactor,
  ],
})
export class OutboundModule implements OnModuleInit {
  constructor(
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    private readonly webhookOutbox: WebhookOutboxReactor,
    private readonly mailOutbox: MailOutboxReactor,
    private readonly writeBack: StripeWriteBackReactor,
  ) {}

  onModuleInit(): void {
    this.runner.addProjection(webhookEndpointsProjection);
    this.runner.addReactor(this.webhookOutbox);
    this.runner.addReactor(this.mailOutbox);
    this.runner.addReactor(this.writeBack);
  }
}
