import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyRef } from '../../../companies/index.js';
import { DEFAULT_SCHEDULE } from '../../../shared-kernel/invoice-schedule.js';
import { evolvePartner, initialPartner, partnerStream } from '../../../partners/index.js';
import { commissionIdFor, commissionStream, evolveCommission, initialCommission } from '../../domain/commission.js';
import {
  decideEarn,
  evolveLeadPayments,
  initialLeadPayments,
  leadCommissionsStream,
  type AttributedPayment,
  type LeadPaymentCounted,
} from '../../domain/earning.js';
import { fraudFlags, reviewOf } from '../../domain/fraud.js';
import { FraudFactsReader } from './fraud-facts.js';

export class EarnCommission {
  /** `beforeFraudChecks`: resolves once the read models the fraud checks read have applied the payment's event. */
  constructor(
    readonly payment: AttributedPayment,
    readonly beforeFraudChecks?: () => Promise<void>,
  ) {}
}

/**
 * Earns the commission of an attributed payment with the plan and hold period in force now (recorded in the
 * event). Idempotent: the lead's stream counts each payment once, appended with its expected version, and records the
 * commissions an earlier-paid payment made ineligible.
 */
@CommandHandler(EarnCommission)
export class EarnCommissionHandler implements ICommandHandler<EarnCommission> {
  constructor(
    private readonly es: EventSourcing,
    private readonly fraud: FraudFactsReader,
  ) {}

  /**
   * The lead's count first (the decision: eligibility depends on the payments counted before), the commission after it,
   * loaded, so it is written once: a crash between the two (stream by stream on EventStoreDB) is completed by the
   * redelivery, which decides again on the lead as it was before this payment was counted.
   */
  async execute({ payment: p, beforeFraudChecks }: EarnCommission): Promise<void> {
    let checked = false;
    const leadStreamId = leadCommissionsStream(p.companyId, p.leadId);
    await this.es.handle(`earn-commission:${leadStreamId}:${p.paymentId}`, async (ctx) => {
      const lead = await ctx.loadStream(leadStreamId, initialLeadPayments, evolveLeadPayments);
      const at = lead.events.findIndex((e) => e.type === 'LeadPaymentCounted' && (e.data as LeadPaymentCounted['data']).paymentId === p.paymentId);
      if (at >= 0 && !(lead.events[at]!.data as LeadPaymentCounted['data']).commissionId) return;
      const company = (await this.es.read(companyRef(p.companyId))).state;
      const partner = (await ctx.loadStream(partnerStream(p.companyId, p.partnerId), initialPartner, evolvePartner)).state;
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
      const before = at < 0 ? lead.state : lead.events.slice(0, at).reduce(evolveLeadPayments, initialLeadPayments);
      const decision = decideEarn({ payment: p, lead: before, ...plans, holdDays, partnerActive: partner.active, review });
      if (!decision) return;
      // Revocations are recorded on the lead with the count; the commissions reactor reverses each (RevokeCommission).
      if (at < 0) ctx.appendRaw(leadStreamId, [decision.counted, ...decision.revoked], lead.version);
      if (decision.earned.length === 0) return;
      const commission = await ctx.loadStream(commissionStream(p.companyId, commissionIdFor(p.paymentId)), initialCommission, evolveCommission);
      if (!commission.state.exists) ctx.appendRaw(commission.streamId, decision.earned, 'no_stream');
    });
  }
}
