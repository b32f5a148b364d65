import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CONFIG } from '../../../core/tokens.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { DomainError, notFound } from '../../../../libs/http/domain-error.js';
import { InvoicePayments, PendingReversals } from '../../../invoicing/index.js';
import { CompanyBillingQuery } from '../../../companies/index.js';
import { partnerConnect, type PartnerConnectState } from '../../../partners/index.js';
import { AccountRefresher } from '../refresh-account/account-refresher.js';
import { stripeProblem } from '../stripe-problem.js';
import { decideResume, RESUME_AFTER_MS } from '../../domain/payout-attempt.js';
import { PayoutSender } from './payout-sender.js';

const ACCOUNT_NOT_READY = new Set(['partner_payouts_disabled', 'partner_transfers_inactive']);

export class PayInvoice {
  constructor(
    readonly companyId: string,
    readonly invoiceId: string,
  ) {}
}

/**
 * InvoicePaymentStarted is appended (by the invoicing module, `InvoicePayments.start`) before Stripe is called: the
 * invoice stream's version read here lets one of many concurrent calls start an attempt, and the attempt's key is
 * durable before any charge.
 */
@CommandHandler(PayInvoice)
export class PayInvoiceHandler implements ICommandHandler<PayInvoice> {
  constructor(
    private readonly es: EventSourcing,
    private readonly payments: InvoicePayments,
    private readonly sender: PayoutSender,
    private readonly reversals: PendingReversals,
    private readonly accounts: AccountRefresher,
    private readonly billing: CompanyBillingQuery,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ companyId, invoiceId }: PayInvoice): Promise<void> {
    await this.reversals.settled();
    const opened = await this.payments.open(companyId, invoiceId);
    const { state } = opened;
    if (!state.exists) throw notFound('invoice', invoiceId);
    if (state.status === 'processing') {
      const open = await this.payments.attempt({ companyId, invoiceId, attempt: state.attempt });
      decideResume(state, open?.startedAt ?? null, new Date(), RESUME_AFTER_MS);
      await this.es.settle(await this.sender.send(open!.attempt, open!.startedAt));
      return;
    }
    const [company, partner] = await Promise.all([this.billing.billing(companyId), partnerConnect(this.es.store, companyId, state.partnerId)]);
    const start = (connect: PartnerConnectState) =>
      this.payments.start(
        { companyId, invoiceId },
        opened,
        {
          customerId: company.customerId,
          paymentMethodId: company.card?.paymentMethodId ?? null,
          missingCard: company.missingCard,
          accountId: connect.accountId,
          payoutsEnabled: connect.status?.payoutsEnabled ?? false,
          transfersActive: connect.status?.transfersActive ?? false,
        },
        this.config.stripeFees,
      );
    let attempt: Awaited<ReturnType<typeof start>>;
    try {
      attempt = await start(partner);
    } catch (e) {
      // Refused before anything was appended. Not known to be ready: ask Stripe rather than refuse on an account.updated that may not have arrived.
      if (!(e instanceof DomainError && ACCOUNT_NOT_READY.has(e.code))) throw e;
      const refreshed = await this.accounts.refresh({ companyId, partnerId: state.partnerId }, partner).catch((err: unknown) => {
        throw stripeProblem(err);
      });
      attempt = await start(refreshed.state);
    }
    await this.es.settle(await this.sender.send(attempt, new Date()));
  }
}
