import { Injectable } from '@nestjs/common';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { evolveLead, initialLead, leadStream, type LeadCreated } from '../../domain/lead.js';
import {
  checkoutPaymentStream,
  decideCheckoutClaim,
  evolveCheckoutPayment,
  initialCheckoutPayment,
  type CheckoutMethod,
} from '../../domain/checkout-payment.js';
import { decideLateAttribution, evolvePayment, initialPayment } from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import type { LinkResult } from '../link-customer/customer-linker.js';

export interface CheckoutPaymentLink {
  companyId: string;
  sessionId: string;
  paymentIntentId: string;
  leadId: string;
  email: string | null;
  /** Creates the lead in the same append when it does not exist yet (a referral key's, click's or promotion code's first session). */
  create?: LeadCreated;
  /** What named the lead: the session's client_reference_id, or its promotion code. */
  method: CheckoutMethod;
}

/**
 * Names the lead of a customer-less Checkout Session's payment intent (claim guarded by the checkout-payment stream),
 * then attributes the intent's payments recorded before the session arrived.
 */
@Injectable()
export class CheckoutPaymentLinker {
  constructor(private readonly es: EventSourcing) {}

  async link(req: CheckoutPaymentLink): Promise<LinkResult> {
    const handled = await this.es.handle(`link-checkout:${req.companyId}:${req.paymentIntentId}:${req.leadId}`, async (ctx) => {
      const lead = await ctx.loadStream(leadStream(req.companyId, req.leadId), initialLead, evolveLead);
      const leadState = lead.state.exists || !req.create ? lead.state : evolveLead(initialLead, req.create);
      const checkout = await ctx.loadStream(checkoutPaymentStream(req.companyId, req.paymentIntentId), initialCheckoutPayment, evolveCheckoutPayment);
      const decision = decideCheckoutClaim(checkout, {
        companyId: req.companyId,
        paymentIntentId: req.paymentIntentId,
        sessionId: req.sessionId,
        leadId: req.leadId,
        email: req.email,
        method: req.method,
        partnerId: leadState.partnerId,
      });
      if (decision.taken) return decision;
      for (const a of decision.also) ctx.appendRaw(a.streamId, a.events, a.expectedVersion);
      if (!lead.state.exists && req.create) ctx.appendRaw(lead.streamId, [req.create], 'no_stream');
      return { taken: false as const, partnerId: leadState.partnerId, paymentIds: checkout.state.paymentIds };
    });
    const decision = handled.result;
    if (decision.taken) return decision;
    let checkpoint = handled.checkpoint;
    // The claim committed at the version read, so no payment of this intent can be missing from that read.
    const note = `checkout session ${req.sessionId} named lead ${req.leadId} (${req.method === 'client_reference_id' ? 'client_reference_id' : 'promotion code'}) for payment intent ${req.paymentIntentId}`;
    let attributed = 0;
    for (const paymentId of decision.paymentIds) {
      const r = await this.es.execute(paymentStream(req.companyId, paymentId), initialPayment, evolvePayment, (s) => ({
        events: decideLateAttribution(s, { leadId: req.leadId, partnerId: decision.partnerId }, req.method, note),
      }));
      if (r.appended > 0) {
        attributed++;
        checkpoint = r.checkpoint ?? checkpoint;
      }
    }
    return { taken: false, attributed, checkpoint };
  }
}
