import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import { companyRef } from '../../../companies/domain/company.js';
import { DEFAULT_SCHEDULE } from '../../../shared-kernel/invoice-schedule.js';
import { evolvePartner, initialPartner, partnerStream } from '../../../partners/domain/partner.js';
import { commissionIdFor, commissionStream } from '../../domain/commission.js';
import { decideEarn, evolveLeadPayments, initialLeadPayments, leadCommissionsStream, type AttributedPayment } from '../../domain/earning.js';

export class EarnCommission {
  constructor(readonly payment: AttributedPayment) {}
}

/**
 * Earns the commission of an attributed payment with the plan and hold period in force now (recorded in the
 * event). Idempotent: the lead's stream counts each payment once, appended with its expected version, and records the
 * commissions an earlier-paid payment made ineligible.
 */
@CommandHandler(EarnCommission)
export class EarnCommissionHandler implements ICommandHandler<EarnCommission> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ payment: p }: EarnCommission): Promise<void> {
    const leadStreamId = leadCommissionsStream(p.companyId, p.leadId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const lead = await this.es.load(leadStreamId, initialLeadPayments, evolveLeadPayments);
      if (lead.state.payments.some((x) => x.paymentId === p.paymentId)) return;
      const company = (await this.es.read(companyRef(p.companyId))).state;
      const partner = (await this.es.load(partnerStream(p.companyId, p.partnerId), initialPartner, evolvePartner)).state;
      const plans = { partnerPlan: partner.commissionPlan, companyPlan: company.commissionPlan };
      const holdDays = (company.invoiceSchedule ?? DEFAULT_SCHEDULE).holdDays;
      const decision = decideEarn({ payment: p, lead: lead.state, ...plans, holdDays, partnerActive: partner.active });
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
