import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decideLink, initialLead, leadStream, type LeadCreated, evolveLead } from '../../domain/lead.js';
import { evolvePartner, initialPartner, partnerStream } from '../../../partners/domain/partner.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { WrongExpectedVersion, type RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import { customerTaken } from '../customer-taken.error.js';

export class CreateLead {
  constructor(readonly companyId: string, readonly partnerId: string, readonly email: string, readonly name: string | null, readonly customerId: string | null) {}
}

@CommandHandler(CreateLead)
export class CreateLeadHandler implements ICommandHandler<CreateLead, { leadId: string }> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: CreateLead) {
    const partner = await this.es.load(partnerStream(cmd.companyId, cmd.partnerId), initialPartner, evolvePartner);
    if (!partner.state.exists) throw notFound('partner', cmd.partnerId);
    const leadId = `ld_${randomUUID().replaceAll('-', '')}`;
    const ids = { leadId, companyId: cmd.companyId };
    const created: LeadCreated = { type: 'LeadCreated', data: { ...ids, partnerId: cmd.partnerId, email: cmd.email.trim(), name: cmd.name?.trim() || null } };
    const link = cmd.customerId ? decideLink(evolveLead(initialLead, { type: created.type, data: created.data } as unknown as RecordedEvent), ids, cmd.customerId, 'manual') : { events: [], also: [] };
    try {
      const results = await this.es.appendMany([...link.also, { streamId: leadStream(cmd.companyId, leadId), events: [created, ...link.events], expectedVersion: 'no_stream' }]);
      await this.es.settle(results[results.length - 1]!.checkpoint);
    } catch (e) {
      if (e instanceof WrongExpectedVersion && cmd.customerId && e.streamId !== leadStream(cmd.companyId, leadId)) throw await customerTaken(this.es, cmd.companyId, cmd.customerId);
      throw e;
    }
    return { leadId };
  }
}
