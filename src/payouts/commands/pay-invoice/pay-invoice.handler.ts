import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import { evolveInvoice, initialInvoice, invoiceStream } from '../../../invoicing/domain/invoice.js';
import { companyStream } from '../../../companies/domain/company.js';
import { partnerStream } from '../../../partners/domain/partner.js';
import { evolveCompanyBilling, initialCompanyBilling } from '../../domain/company-card.js';
import { evolvePartnerConnect, initialPartnerConnect } from '../../domain/connect.js';
import { decideResume, decideStartPayout, RESUME_AFTER_MS } from '../../domain/payout-attempt.js';
import { PayoutSender } from './payout-sender.js';
import { PendingReversals } from '../../../invoicing/commands/invoice-lifecycle/pending-reversals.js';

export class PayInvoice {
  constructor(readonly companyId: string, readonly invoiceId: string) {}
}

/**
 * InvoicePaymentStarted is appended before Stripe is called: the invoice stream's version lets one
 * of many concurrent calls start an attempt, and the attempt's key is durable before any charge.
 */
@CommandHandler(PayInvoice)
export class PayInvoiceHandler implements ICommandHandler<PayInvoice> {
  constructor(private readonly es: EventSourcing, private readonly sender: PayoutSender, private readonly reversals: PendingReversals) {}

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
      this.es.load(companyStream(companyId), initialCompanyBilling, evolveCompanyBilling),
      this.es.load(partnerStream(companyId, state.partnerId), initialPartnerConnect, evolvePartnerConnect),
    ]);
    const decision = decideStartPayout(state, { invoiceId, companyId }, {
      customerId: company.state.customerId,
      paymentMethodId: company.state.card?.paymentMethodId ?? null,
      accountId: partner.state.accountId,
      payoutsEnabled: partner.state.status?.payoutsEnabled ?? false,
    });
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
