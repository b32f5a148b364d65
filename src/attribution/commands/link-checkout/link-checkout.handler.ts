import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LOGGER } from '../../../core/tokens.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { referralKeyStream } from '../../../partners/domain/partner.js';
import { evolveLead, initialLead, leadStream, type LeadCreated } from '../../domain/lead.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { CustomerLinker, type LinkResult } from '../link-customer/customer-linker.js';
import { CheckoutPaymentLinker } from './checkout-payment-linker.js';

/**
 * checkout.session.completed with a client_reference_id: a lead id, or a partner's referral key (the partner's lead
 * with the session's email, created when there is none). The session's customer is linked to the lead; a session
 * without a customer names the lead of its payment intent instead. `beforeEmailLookup` runs before the leads read
 * model is searched by that email.
 */
export class LinkCheckoutSession {
  constructor(
    readonly companyId: string,
    readonly sessionId: string,
    readonly reference: string,
    readonly buyer: { customerId: string; paymentIntentId?: null } | { customerId: null; paymentIntentId: string },
    readonly email: string | null,
    readonly beforeEmailLookup?: () => Promise<void>,
  ) {}
}

export type CheckoutOutcome = LinkResult | { ignored: string };

@CommandHandler(LinkCheckoutSession)
export class LinkCheckoutSessionHandler implements ICommandHandler<LinkCheckoutSession, CheckoutOutcome> {
  constructor(
    private readonly es: EventSourcing,
    private readonly linker: CustomerLinker,
    private readonly checkoutPayments: CheckoutPaymentLinker,
    private readonly leads: LeadsQuery,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async execute(cmd: LinkCheckoutSession): Promise<CheckoutOutcome> {
    const target = await this.resolve(cmd);
    if ('ignored' in target) {
      this.log.warn({ companyId: cmd.companyId, session: cmd.sessionId, reason: target.ignored }, 'checkout session not linked');
      return target;
    }
    const { customerId, paymentIntentId } = cmd.buyer;
    const result = customerId
      ? await this.linker.link({ companyId: cmd.companyId, leadId: target.leadId, customerId, method: 'client_reference_id', create: target.create, attributePast: 'client_reference_id' })
      : await this.checkoutPayments.link({ companyId: cmd.companyId, sessionId: cmd.sessionId, paymentIntentId: paymentIntentId!, leadId: target.leadId, email: cmd.email, create: target.create });
    if (result.taken) this.log.warn({ companyId: cmd.companyId, session: cmd.sessionId, customerId, paymentIntentId, holder: result.holder }, 'checkout customer or payment intent already linked to another lead; kept');
    return result;
  }

  private async resolve(cmd: LinkCheckoutSession): Promise<{ leadId: string; create?: LeadCreated } | { ignored: string }> {
    const lead = await this.es.load(leadStream(cmd.companyId, cmd.reference), initialLead, evolveLead);
    if (lead.state.exists) return { leadId: cmd.reference };
    const [claim] = await this.es.store.readStream(referralKeyStream(cmd.companyId, cmd.reference));
    const partnerId = (claim?.data as { partnerId?: string } | undefined)?.partnerId;
    if (!partnerId) return { ignored: `client_reference_id ${cmd.reference} is neither a lead nor a referral key of this company` };
    if (!cmd.email) return { ignored: 'session has no customer email to create the lead with' };
    await cmd.beforeEmailLookup?.();
    const [known] = await this.leads.idsByEmail(cmd.companyId, cmd.email, partnerId);
    if (known) return { leadId: known };
    // One lead per session, so a redelivered session finds the lead it created.
    const leadId = `ld_${createHash('sha256').update(`${cmd.companyId}:${cmd.sessionId}`).digest('hex').slice(0, 32)}`;
    return { leadId, create: { type: 'LeadCreated', data: { leadId, companyId: cmd.companyId, partnerId, email: cmd.email, name: null } } };
  }
}
