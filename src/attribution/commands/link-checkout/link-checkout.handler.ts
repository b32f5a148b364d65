import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { CLICK_ID } from '../../../tracking/contract.js';
import { promotionCodeOwner, referralKeyStream } from '../../../partners/index.js';
import { RecordClickLead, type ClickLead } from '../click-lead/click-lead.handler.js';
import { createHash } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LOGGER } from '../../../core/tokens.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { evolveLead, initialLead, leadStream, type LeadCreated } from '../../domain/lead.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { CustomerLinker, type LinkResult } from '../link-customer/customer-linker.js';
import { CheckoutPaymentLinker } from './checkout-payment-linker.js';

/**
 * checkout.session.completed with a client_reference_id: a lead id, a tracked click id (`clk_…`: the click's lead,
 * see RecordClickLead), or a partner's referral key (the partner's lead with the session's email, created when there
 * is none); without one (or naming nothing of the company's), a promotion code the session used names its partner's
 * lead (SPEC §10's order). The session's customer is linked to the lead; a session without a customer names the lead
 * of its payment intent instead. `beforeEmailLookup` runs before the leads read model is searched by that email.
 */
export class LinkCheckoutSession {
  constructor(
    readonly companyId: string,
    readonly sessionId: string,
    readonly reference: string | null,
    readonly buyer: { customerId: string; paymentIntentId?: null } | { customerId: null; paymentIntentId: string },
    readonly email: string | null,
    readonly beforeEmailLookup?: () => Promise<void>,
    /** Promotion codes the session used: they link it when client_reference_id does not (SPEC §10's order). */
    readonly promotionCodes: string[] = [],
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
    private readonly commands: CommandBus,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async execute(cmd: LinkCheckoutSession): Promise<CheckoutOutcome> {
    let target: Awaited<ReturnType<typeof this.resolve>> = cmd.reference
      ? await this.resolve(cmd, cmd.reference)
      : { ignored: 'session without client_reference_id' };
    let method: 'client_reference_id' | 'promotion_code' = 'client_reference_id';
    if ('ignored' in target && cmd.promotionCodes.length) {
      const promoted = await this.promotionLead(cmd);
      if (!('ignored' in promoted)) [target, method] = [promoted, 'promotion_code'];
      else target = { ignored: `${target.ignored}; ${promoted.ignored}` };
    }
    if ('ignored' in target) {
      this.log.warn({ companyId: cmd.companyId, session: cmd.sessionId, reason: target.ignored }, 'checkout session not linked');
      return target;
    }
    const { customerId, paymentIntentId } = cmd.buyer;
    const result = customerId
      ? await this.linker.link({ companyId: cmd.companyId, leadId: target.leadId, customerId, method, create: target.create, attributePast: method })
      : await this.checkoutPayments.link({
          companyId: cmd.companyId,
          sessionId: cmd.sessionId,
          paymentIntentId: paymentIntentId!,
          leadId: target.leadId,
          email: cmd.email,
          create: target.create,
          method,
        });
    if (result.taken)
      this.log.warn(
        { companyId: cmd.companyId, session: cmd.sessionId, customerId, paymentIntentId, holder: result.holder },
        'checkout customer or payment intent already linked to another lead; kept',
      );
    return result;
  }

  private async resolve(cmd: LinkCheckoutSession, reference: string): Promise<{ leadId: string; create?: LeadCreated } | { ignored: string }> {
    if (CLICK_ID.test(reference)) return this.clickLead(cmd, reference);
    const lead = await this.es.load(leadStream(cmd.companyId, reference), initialLead, evolveLead);
    if (lead.state.exists) return { leadId: reference };
    const [claim] = await this.es.store.readStream(referralKeyStream(cmd.companyId, reference));
    const partnerId = (claim?.data as { partnerId?: string } | undefined)?.partnerId;
    if (!partnerId) return { ignored: `client_reference_id ${reference} is neither a lead nor a referral key of this company` };
    return this.partnerLead(cmd, partnerId);
  }

  /** The partner holding one of the session's promotion codes: its lead with the session's email, created when there is none. */
  private async promotionLead(cmd: LinkCheckoutSession): Promise<{ leadId: string; create?: LeadCreated } | { ignored: string }> {
    for (const code of cmd.promotionCodes) {
      const partnerId = await promotionCodeOwner(this.es.store, cmd.companyId, code);
      if (partnerId) return this.partnerLead(cmd, partnerId);
    }
    return { ignored: `no partner has promotion code ${cmd.promotionCodes.join(', ')}` };
  }

  private async partnerLead(cmd: LinkCheckoutSession, partnerId: string): Promise<{ leadId: string; create?: LeadCreated } | { ignored: string }> {
    if (!cmd.email) return { ignored: 'session has no customer email to create the lead with' };
    await cmd.beforeEmailLookup?.();
    const [known] = await this.leads.idsByEmail(cmd.companyId, cmd.email, partnerId);
    if (known) return { leadId: known };
    // One lead per session, so a redelivered session finds the lead it created.
    const leadId = `ld_${createHash('sha256').update(`${cmd.companyId}:${cmd.sessionId}`).digest('hex').slice(0, 32)}`;
    return { leadId, create: { type: 'LeadCreated', data: { leadId, companyId: cmd.companyId, partnerId, email: cmd.email, name: null } } };
  }

  /** A click id (`clk_…`, from the tracking script's cookie): the click's lead, created from the session's email when it has none. */
  private async clickLead(cmd: LinkCheckoutSession, clickId: string): Promise<{ leadId: string; create?: LeadCreated } | { ignored: string }> {
    try {
      const lead = await this.commands.execute<RecordClickLead, ClickLead | null>(
        new RecordClickLead(cmd.companyId, clickId, cmd.email, null, { create: false, beforeEmailLookup: cmd.beforeEmailLookup }),
      );
      return lead ?? { ignored: `click ${clickId} has no lead yet and the session has no customer email to create it with` };
    } catch (e) {
      if (e instanceof DomainError && e.status === 404) return { ignored: `client_reference_id ${clickId} is not a click of this company` };
      throw e;
    }
  }
}
