import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import { companyStream, DEFAULT_SCHEDULE, evolveCompany, initialCompany } from '../../../companies/domain/company.js';
import { evolvePartner, initialPartner, partnerStream } from '../../../partners/domain/partner.js';
import { commissionIdFor, commissionStream } from '../../domain/commission.js';
import { decideEarn, evolveLeadPayments, initialLeadPayments, leadCommissionsStream, type AttributedPayment } from '../../domain/earning.js';
import { fraudFlags, reviewOf } from '../../domain/fraud.js';
import { FraudFactsReader } from './fraud-facts.js';

export class EarnCommission {
  /** `beforeFraudChecks`: resolves once the read models the fraud checks read have applied the payment's event. */
  constructor(readonly payment: AttributedPayment, readonly beforeFraudChecks?: () => Promise<void>) {}
}

/**
 * Earns the commission of an attributed payment with the plan and hold period in force now (recorded in the
 * event). Idempotent: the lead's stream counts each payment once, appended with its expected version, and records the
 * commissions an earlier-paid payment made ineligible.
 */
@CommandHandler(EarnCommission)
export class EarnCommissionHandler implements ICommandHandler<EarnCommission> {
  constructor(private readonly es: EventSourcing, private readonly fraud: FraudFactsReader) {}

  async execute({ payment: p, beforeFraudChecks }: EarnCommission): Promise<void> {
    let checked = false;
    const leadStreamId = leadCommissionsStream(p.companyId, p.leadId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const lead = await this.es.load(leadStreamId, initialLeadPayments, evolveLeadPayments);
      if (lead.state.payments.some((x) => x.paymentId === p.paymentId)) return;
      const company = (await this.es.load(companyStream(p.companyId), initialCompany, evolveCompany)).state;
      const partner = (await this.es.load(partnerStream(p.companyId, p.partnerId), initialPartner, evolvePartner)).state;
      const plans = { partnerPlan: partner.commissionPlan, companyPlan: company.commissionPlan };
      const holdDays = (company.invoiceSchedule ?? DEFAULT_SCHEDULE).holdDays;
      // Fraud checks only for a payment that may earn (they read two read models).
      let review;
      if (partner.active && !p.commissionExcluded) {
        if (!checked) await beforeFraudChecks?.();
        checked = true;
        const facts = await this.fraud.read(p, { partnerId: p.partnerId, email: partner.email }, company.fraud.refundRateThreshold);
        review = reviewOf(company.commissionReview, fraudFlags(facts));
      }
      const decision = decideEarn({ payment: p, lead: lead.state, ...plans, holdDays, partnerActive: partner.active, review });
      if (!decision) return;
      // Revocations are recorded on the lead with the count; the commissions reactor reverses each (RevokeCommission).
      const appends: StreamAppend[] = [{ streamId: leadStreamId, events: [decision.counted, ...decision.revoked], expectedVersion: lead.version }];
      if (decision.earned.length) appends.push({ streamId: commissionStream(p.companyId, commissionIdFor(p.paymentId)), events: decision.earned, expectedVersion: 'no_stream' });
      try {
        await this.es.appendMany(appends);
        return;
      } catch (e) {
        if (!(e instanceof WrongExpectedVersion)) throw e;
        if (e.streamId !== leadStreamId) return;
      }
    }
    throw new Error(`lead ${p.leadId}: too many concurrent commission decisions`);
  }
}
