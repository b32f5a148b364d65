import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import { companyStream, DEFAULT_SCHEDULE, evolveCompany, initialCompany } from '../../../companies/domain/company.js';
import { evolvePartner, initialPartner, partnerStream } from '../../../partners/domain/partner.js';
import { FxRatesQuery } from '../../../currency/queries/fx-rates/fx-rates.query.js';
import { commissionIdFor, commissionStream } from '../../domain/commission.js';
import { decideEarn, evolveLeadPayments, initialLeadPayments, leadCommissionsStream, planInForce, type AttributedPayment } from '../../domain/earning.js';

export class EarnCommission {
  constructor(readonly payment: AttributedPayment) {}
}

/**
 * Earns the commission of an attributed payment with the plan and hold period in force now (recorded in the
 * event). Idempotent: the lead's stream counts each payment once, appended with its expected version.
 */
@CommandHandler(EarnCommission)
export class EarnCommissionHandler implements ICommandHandler<EarnCommission> {
  constructor(private readonly es: EventSourcing, private readonly rates: FxRatesQuery) {}

  async execute({ payment: p }: EarnCommission): Promise<void> {
    const leadStreamId = leadCommissionsStream(p.companyId, p.leadId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const lead = await this.es.load(leadStreamId, initialLeadPayments, evolveLeadPayments);
      if (lead.state.payments.some((x) => x.paymentId === p.paymentId)) return;
      const company = (await this.es.load(companyStream(p.companyId), initialCompany, evolveCompany)).state;
      const partner = (await this.es.load(partnerStream(p.companyId, p.partnerId), initialPartner, evolvePartner)).state;
      const plans = { partnerPlan: partner.commissionPlan, companyPlan: company.commissionPlan };
      const { plan } = planInForce(plans);
      const rate = plan.type === 'flat' && plan.currency !== p.currency ? ((await this.rates.find(plan.currency, p.currency, p.paidAt)) ?? null) : null;
      const holdDays = (company.invoiceSchedule ?? DEFAULT_SCHEDULE).holdDays;
      const decision = decideEarn({ payment: p, lead: lead.state, ...plans, holdDays, rate, partnerActive: partner.active });
      if (!decision) return;
      const appends: StreamAppend[] = [{ streamId: leadStreamId, events: [decision.counted], expectedVersion: lead.version }];
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
