import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { decideLink, evolveLead, initialLead, leadStream } from '../../domain/lead.js';
import { customerStream, evolveCustomer, initialCustomer, type CustomerPaymentRecorded } from '../../domain/customer.js';
import { decideAttribution, decideRecordPayment, type AttributionInput, type PaymentFacts } from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import { evolvePaymentRef, initialPaymentRef, parkedReversals, paymentRefStream, type PaymentReferenceRecorded } from '../../domain/payment-ref.js';

/** Records a Stripe payment once (its id is derived from the Stripe object) and attributes it. */
export class RecordPayment {
  constructor(readonly facts: PaymentFacts, readonly refs: string[]) {}
}

@CommandHandler(RecordPayment)
export class RecordPaymentHandler implements ICommandHandler<RecordPayment, { recorded: boolean }> {
  constructor(private readonly es: EventSourcing, private readonly leads: LeadsQuery) {}

  async execute({ facts, refs }: RecordPayment): Promise<{ recorded: boolean }> {
    const { companyId, paymentId, customerId } = facts;
    const stream = paymentStream(companyId, paymentId);
    for (let attempt = 0; ; attempt++) {
      const [existing, customer, refStates] = await Promise.all([
        this.es.store.readStream(stream),
        customerId ? this.es.load(customerStream(companyId, customerId), initialCustomer, evolveCustomer) : null,
        Promise.all(refs.map(async (ref) => ({ ref, ...(await this.es.load(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)) }))),
      ]);
      if (existing.length > 0) return { recorded: false };
      const decision = decideAttribution(facts, await this.lookup(facts, customer?.state.claim ?? null));
      const events = decideRecordPayment(facts, decision, parkedReversals(refStates.map((r) => r.state)));

      const appends: StreamAppend[] = [{ streamId: stream, events, expectedVersion: 'no_stream' }];
      for (const r of refStates.filter((x) => x.state.paymentId === null)) {
        const referenced: PaymentReferenceRecorded = { type: 'PaymentReferenceRecorded', data: { companyId, ref: r.ref, paymentId } };
        appends.push({ streamId: paymentRefStream(companyId, r.ref), events: [referenced], expectedVersion: r.version });
      }
      if (customer && customerId) {
        const seen: CustomerPaymentRecorded = { type: 'CustomerPaymentRecorded', data: { companyId, customerId, paymentId } };
        const claim: StreamAppend['events'] = [];
        if (decision.status === 'attributed' && decision.saveCustomerOnLead) {
          const lead = await this.es.load(leadStream(companyId, decision.leadId), initialLead, evolveLead);
          const link = decideLink(lead.state, { leadId: decision.leadId, companyId }, customer, customerId, 'email');
          if (!link.taken) {
            claim.push(...link.also.flatMap((a) => a.events));
            appends.push({ streamId: leadStream(companyId, decision.leadId), events: link.events, expectedVersion: lead.version });
          }
        }
        appends.push({ streamId: customerStream(companyId, customerId), events: [...claim, seen], expectedVersion: customer.version });
      }
      try {
        await this.es.appendMany(appends);
        return { recorded: true };
      } catch (e) {
        if (!(e instanceof WrongExpectedVersion)) throw e;
        if (e.streamId === stream) return { recorded: false };
        // A link, refund or the lead changed meanwhile: decide again on what is there now.
        if (attempt >= 5) throw e;
      }
    }
  }

  private async lookup(facts: PaymentFacts, claim: { leadId: string; method: string | null } | null): Promise<AttributionInput> {
    if (claim) {
      const holder = await this.es.load(leadStream(facts.companyId, claim.leadId), initialLead, evolveLead);
      return { customerHolder: { leadId: claim.leadId, partnerId: holder.state.partnerId, linkMethod: claim.method }, emailLead: null };
    }
    if (!facts.email) return { customerHolder: null, emailLead: null };
    const [leadId] = await this.leads.idsByEmail(facts.companyId, facts.email);
    if (!leadId) return { customerHolder: null, emailLead: null };
    const lead = await this.es.load(leadStream(facts.companyId, leadId), initialLead, evolveLead);
    return { customerHolder: null, emailLead: { leadId, partnerId: lead.state.partnerId, customerId: lead.state.customerId } };
  }
}
