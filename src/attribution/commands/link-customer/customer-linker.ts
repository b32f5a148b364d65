import { Injectable } from '@nestjs/common';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import type { ExpectedVersion, NewEvent } from '../../../../libs/event-store/event-store.port.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decideLink, evolveLead, initialLead, leadStream, type LeadCreated, type LinkMethod } from '../../domain/lead.js';
import { customerStream, evolveCustomer, initialCustomer } from '../../domain/customer.js';
import { decideLateAttribution, evolvePayment, initialPayment } from '../../domain/payment.js';
import { paymentStream, type AttributionMethod } from '../../domain/payment.events.js';

export interface LinkRequest {
  companyId: string;
  leadId: string;
  customerId: string;
  method: LinkMethod;
  /** Creates the lead in the same append when it does not exist yet (checkout with a referral key, POST /leads). */
  create?: LeadCreated;
  /** Attribute the customer's payments that are still unattributed, with this method. */
  attributePast?: AttributionMethod;
}

export type LinkResult = { taken: true; holder: string } | { taken: false; attributed: number; checkpoint?: string };

/** Links a Stripe customer to a lead (claim guarded by the customer stream) and optionally attributes its earlier payments. */
@Injectable()
export class CustomerLinker {
  constructor(private readonly es: EventSourcing) {}

  async link(req: LinkRequest): Promise<LinkResult> {
    const ids = { leadId: req.leadId, companyId: req.companyId };
    // The customer's claim first, then the lead: a retry after a crash between them finds the claim its own and completes the lead.
    const handled = await this.es.handle(`link-customer:${req.companyId}:${req.customerId}:${req.leadId}`, async (ctx) => {
      const lead = await ctx.loadStream(leadStream(req.companyId, req.leadId), initialLead, evolveLead);
      let state = lead.state;
      let created: NewEvent[] = [];
      let expected: ExpectedVersion = lead.version;
      if (!state.exists) {
        if (!req.create) throw notFound('lead', req.leadId);
        state = evolveLead(initialLead, req.create);
        created = [req.create];
        expected = 'no_stream';
      }
      const customer = await ctx.loadStream(customerStream(req.companyId, req.customerId), initialCustomer, evolveCustomer);
      const decision = decideLink(state, ids, customer, req.customerId, req.method);
      if (decision.taken) return decision;
      for (const a of decision.also) ctx.appendRaw(a.streamId, a.events, a.expectedVersion);
      ctx.appendRaw(lead.streamId, [...created, ...decision.events], expected);
      return { taken: false as const, partnerId: state.partnerId, paymentIds: customer.state.paymentIds };
    });
    const decision = handled.result;
    if (decision.taken) return decision;
    // The claim committed at the version read, so no payment of this customer can be missing from that read.
    if (!req.attributePast) return { taken: false, attributed: 0, checkpoint: handled.checkpoint };
    const late = await this.attributePayments(
      req.companyId,
      decision.paymentIds,
      { leadId: req.leadId, partnerId: decision.partnerId },
      req.attributePast,
      `customer ${req.customerId} linked to lead ${req.leadId} (${req.attributePast})`,
    );
    return { taken: false, attributed: late.count, checkpoint: late.checkpoint ?? handled.checkpoint };
  }

  private async attributePayments(
    companyId: string,
    paymentIds: string[],
    lead: { leadId: string; partnerId: string },
    method: AttributionMethod,
    note: string,
  ) {
    let count = 0;
    let checkpoint: string | undefined;
    for (const paymentId of paymentIds) {
      const r = await this.es.execute(paymentStream(companyId, paymentId), initialPayment, evolvePayment, (s) => ({
        events: decideLateAttribution(s, lead, method, note),
      }));
      if (r.appended > 0) {
        count++;
        checkpoint = r.checkpoint;
      }
    }
    return { count, checkpoint };
  }
}
