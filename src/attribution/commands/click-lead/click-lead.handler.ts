import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { clickOf } from '../../../tracking/contract.js';
import { clickLeadId, evolveLead, initialLead, leadStream, type LeadCreated } from '../../domain/lead.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';

export type ClickLead = { leadId: string; partnerId: string; created: boolean; create?: LeadCreated };

/**
 * The lead of a tracked click: the one its signup or checkout already made (`clickLeadId`), else the click's
 * partner's lead with this email, else a new one with this email. `create: false` only finds or prepares it
 * (checkout links it with the customer in one append); 404 when the click is not the company's.
 */
export class RecordClickLead {
  constructor(
    readonly companyId: string,
    readonly clickId: string,
    readonly email: string | null,
    readonly name: string | null,
    readonly opts: { create: boolean; beforeEmailLookup?: () => Promise<void> } = { create: true },
  ) {}
}

@CommandHandler(RecordClickLead)
export class RecordClickLeadHandler implements ICommandHandler<RecordClickLead, ClickLead | null> {
  constructor(
    private readonly es: EventSourcing,
    private readonly leads: LeadsQuery,
  ) {}

  async execute(cmd: RecordClickLead): Promise<ClickLead | null> {
    const click = await clickOf(this.es.store, cmd.companyId, cmd.clickId);
    if (!click) throw notFound('click', cmd.clickId);
    const leadId = clickLeadId(cmd.companyId, cmd.clickId);
    const lead = await this.es.load(leadStream(cmd.companyId, leadId), initialLead, evolveLead);
    if (lead.state.exists) return { leadId, partnerId: lead.state.partnerId, created: false };
    if (!cmd.email) return null;
    await cmd.opts.beforeEmailLookup?.();
    const [known] = await this.leads.idsByEmail(cmd.companyId, cmd.email, click.partnerId);
    if (known) return { leadId: known, partnerId: click.partnerId, created: false };
    const created: LeadCreated = {
      type: 'LeadCreated',
      data: { leadId, companyId: cmd.companyId, partnerId: click.partnerId, email: cmd.email.trim(), name: cmd.name?.trim() || null, clickId: cmd.clickId },
    };
    if (!cmd.opts.create) return { leadId, partnerId: click.partnerId, created: false, create: created };
    try {
      const { checkpoint } = await this.es.append(leadStream(cmd.companyId, leadId), [created], 'no_stream');
      await this.es.settle(checkpoint);
      return { leadId, partnerId: click.partnerId, created: true };
    } catch (e) {
      // The same click's signup, a moment earlier.
      if (e instanceof WrongExpectedVersion) return { leadId, partnerId: click.partnerId, created: false };
      throw e;
    }
  }
}
