import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { leadStream, type LeadCreated } from '../../domain/lead.js';
import { evolvePartner, initialPartner, partnerStream } from '../../../partners/index.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { customerTaken } from '../customer-taken.error.js';
import { CustomerLinker } from '../link-customer/customer-linker.js';

export class CreateLead {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly email: string,
    readonly name: string | null,
    readonly customerId: string | null,
  ) {}
}

@CommandHandler(CreateLead)
export class CreateLeadHandler implements ICommandHandler<CreateLead, { leadId: string }> {
  constructor(
    private readonly es: EventSourcing,
    private readonly linker: CustomerLinker,
  ) {}

  async execute(cmd: CreateLead) {
    const partner = await this.es.load(partnerStream(cmd.companyId, cmd.partnerId), initialPartner, evolvePartner);
    if (!partner.state.exists) throw notFound('partner', cmd.partnerId);
    const leadId = `ld_${randomUUID().replaceAll('-', '')}`;
    const created: LeadCreated = {
      type: 'LeadCreated',
      data: { leadId, companyId: cmd.companyId, partnerId: cmd.partnerId, email: cmd.email.trim(), name: cmd.name?.trim() || null },
    };
    if (!cmd.customerId) {
      const result = await this.es.append(leadStream(cmd.companyId, leadId), [created], 'no_stream');
      await this.es.settle(result.checkpoint);
      return { leadId };
    }
    const link = await this.linker.link({ companyId: cmd.companyId, leadId, customerId: cmd.customerId, method: 'manual', create: created });
    if (link.taken) throw customerTaken(cmd.customerId, link.holder);
    await this.es.settle(link.checkpoint);
    return { leadId };
  }
}
