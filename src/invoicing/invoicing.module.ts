import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../core/tokens.js';
import { CompaniesModule } from '../companies/index.js';
import { PartnersModule } from '../partners/index.js';
import { CurrencyModule } from '../currency/index.js';
import { invoicesProjection } from './queries/invoices/invoices.projection.js';
import { InvoicesQuery } from './queries/invoices/invoices.query.js';
import { InvoicesController } from './queries/invoices/invoices.http.controller.js';
import { InvoiceDocumentController } from './queries/invoice-document/invoice-document.http.controller.js';
import { InvoiceRunService } from './commands/generate-invoices/invoice-run.service.js';
import { InvoiceRunCron } from './commands/generate-invoices/invoice-run.cron.js';
import { InvoiceRegenerationReactor } from './commands/generate-invoices/invoice-regeneration.reactor.js';
import { InvoiceCompletionReactor } from './commands/generate-invoices/invoice-completion.reactor.js';
import { PendingReversals } from './commands/invoice-lifecycle/pending-reversals.js';
import { InvoicePayments } from './commands/invoice-payment/invoice-payments.js';
import { ClawbackController } from './commands/clawback/clawback.http.controller.js';
import { RunLock } from './commands/generate-invoices/run-lock.js';
import { GenerateInvoicesController } from './commands/generate-invoices/generate-invoices.http.controller.js';
import { InvoiceLifecycleController } from './commands/invoice-lifecycle/invoice-lifecycle.http.controller.js';
import { ApproveInvoiceHandler, MarkInvoicePaidHandler, VoidInvoiceHandler } from './commands/invoice-lifecycle/invoice-lifecycle.handler.js';
import { BankDetailsController } from './commands/set-bank-details/set-bank-details.http.controller.js';

@Module({
  imports: [CompaniesModule, PartnersModule, CurrencyModule],
  controllers: [
    GenerateInvoicesController,
    InvoicesController,
    InvoiceLifecycleController,
    InvoiceDocumentController,
    BankDetailsController,
    ClawbackController,
  ],
  providers: [
    InvoicesQuery,
    InvoiceRunService,
    InvoiceRunCron,
    InvoiceRegenerationReactor,
    InvoiceCompletionReactor,
    PendingReversals,
    InvoicePayments,
    RunLock,
    ApproveInvoiceHandler,
    MarkInvoicePaidHandler,
    VoidInvoiceHandler,
  ],
  exports: [InvoicesQuery, InvoiceRunService, InvoiceRunCron, PendingReversals, InvoicePayments],
})
export class InvoicingModule implements OnModuleInit {
  constructor(
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    private readonly regeneration: InvoiceRegenerationReactor,
    private readonly completion: InvoiceCompletionReactor,
  ) {}

  onModuleInit(): void {
    this.runner.addProjection(invoicesProjection);
    this.runner.addReactor(this.regeneration);
    this.runner.addReactor(this.completion);
  }
}
