import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CONFIG } from '../../../core/tokens.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { conflict, DomainError, notFound } from '../../../../libs/http/domain-error.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import { evolveInvoice, initialInvoice, invoiceStream } from '../../../invoicing/domain/invoice.js';
import { CompanyBillingQuery } from '../../../companies/index.js';
import { partnerStream } from '../../../partners/domain/partner.js';
import { evolvePartnerConnect, initialPartnerConnect, type PartnerConnectState } from '../../domain/connect.js';
import { AccountRefresher } from '../refresh-account/account-refresher.js';
import { stripeProblem } from '../stripe-problem.js';
import { decideResume, decideStartPayout, RESUME_AFTER_MS } from '../../domain/payout-attempt.js';
import { PayoutSender } from './payout-sender.js';
import { PendingReversals } from '../../../invoicing/commands/invoice-lifecycle/pending-reversals.js';

const ACCOUNT_NOT_READY = new Set(['partner_payouts_disabled', 'partner_transfers_inactive']);

export class PayInvoice {
  constructor(
    readonly companyId: string,
    readonly invoiceId: string,
  ) {}
}

/**
 * InvoicePaymentStarted is appended before Stripe is called: the invoice stream's version lets one
 * of many concurrent calls start an attempt, and the attempt's key is durable before any charge.
 */
@CommandHandler(PayInvoice)
export class PayInvoiceHandler implements ICommandHandler<PayInvoice> {
  constructor(
    private readonly es: EventSourcing,
    private readonly sender: PayoutSender,
    private readonly reversals: PendingReversals,
    private readonly accounts: AccountRefresher,
    private readonly billing: CompanyBillingQuery,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ companyId, invoiceId }: PayInvoice): Promise<void> {
    const streamId = invoiceStream(companyId, invoiceId);
    await this.reversals.settled();
    const { state, version } = await this.es.load(streamId, initialInvoice, evolveInvoice);
    if (!state.exists) throw notFound('invoice', invoiceId);
    if (state.status === 'processing') {
      const open = await this.sender.loadAttempt({ companyId, invoiceId, attempt: state.attempt });
      decideResume(state, open?.startedAt ?? null, new Date(), RESUME_AFTER_MS);
      await this.es.settle(await this.sender.send(open!.attempt, open!.startedAt));
      return;
    }
    const [company, partner] = await Promise.all([
      this.billing.billing(companyId),
      this.es.load(partnerStream(companyId, state.partnerId), initialPartnerConnect, evolvePartnerConnect),
    ]);
    const decide = (connect: PartnerConnectState) =>
      decideStartPayout(
        state,
        { invoiceId, companyId },
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
    let decision: ReturnType<typeof decide>;
    try {
      decision = decide(partner.state);
    } catch (e) {
      if (!(e instanceof DomainError && ACCOUNT_NOT_READY.has(e.code))) throw e;
      // Not known to be ready: ask Stripe rather than refuse on an account.updated that may not have arrived.
      const refreshed = await this.accounts.refresh({ companyId, partnerId: state.partnerId }, partner.state).catch((err: unknown) => {
        throw stripeProblem(err);
      });
      decision = decide(refreshed.state);
    }
    try {
      await this.es.append(streamId, decision.events, version);
    } catch (e) {
      if (!(e instanceof WrongExpectedVersion)) throw e;
      const { status, attempt } = (await this.es.load(streamId, initialInvoice, evolveInvoice)).state;
      const code = status === 'processing' ? 'payment_in_progress' : 'invalid_invoice_transition';
      throw conflict(code, `Another request changed this invoice first; it is now ${status}`, { currentStatus: status, attempt });
    }
    await this.es.settle(await this.sender.send(decision.attempt, new Date()));
  }
}
