import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decideUpdate, evolvePartner, initialPartner, partnerStream, type PartnerUpdated } from '../../domain/partner.js';
import { notFound } from '../../../../libs/http/domain-error.js';

export class UpdatePartner {
  constructor(readonly companyId: string, readonly partnerId: string, readonly patch: Omit<PartnerUpdated['data'], 'partnerId' | 'companyId'>) {}
}

@CommandHandler(UpdatePartner)
export class UpdatePartnerHandler implements ICommandHandler<UpdatePartner> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: UpdatePartner): Promise<void> {
    const ids = { partnerId: cmd.partnerId, companyId: cmd.companyId };
    const { checkpoint } = await this.es.execute(partnerStream(cmd.companyId, cmd.partnerId), initialPartner, evolvePartner, (state) => {
      if (!state.exists) throw notFound('partner', cmd.partnerId);
      return { events: decideUpdate(state, ids, cmd.patch) };
    });
    await this.es.settle(checkpoint);
  }
}
