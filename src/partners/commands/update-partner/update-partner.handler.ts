import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import {
  decidePromotionCodes,
  decideUpdate,
  evolvePartner,
  evolvePromotionCodeOwner,
  initialPartner,
  partnerStream,
  promotionCodeStream,
  type CodeOwners,
  type PartnerUpdated,
} from '../../domain/partner.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';

export class UpdatePartner {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly patch: Omit<PartnerUpdated['data'], 'partnerId' | 'companyId'>,
  ) {}
}

@CommandHandler(UpdatePartner)
export class UpdatePartnerHandler implements ICommandHandler<UpdatePartner> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: UpdatePartner): Promise<void> {
    const ids = { partnerId: cmd.partnerId, companyId: cmd.companyId };
    const { checkpoint } = await this.es.execute(partnerStream(cmd.companyId, cmd.partnerId), initialPartner, evolvePartner, async (state) => {
      if (!state.exists) throw notFound('partner', cmd.partnerId);
      const events = decideUpdate(state, ids, cmd.patch);
      const wanted = cmd.patch.promotionCodes;
      if (!wanted || events.length === 0) return { events };
      // Codes are unique per company: each one's guard stream is appended at the version read, with the partner's event.
      const codes = [...new Set([...wanted, ...state.promotionCodes])];
      const owners: CodeOwners = new Map(
        await Promise.all(
          codes.map(
            async (code) =>
              [
                code,
                await this.es
                  .load(promotionCodeStream(cmd.companyId, code), null as string | null, evolvePromotionCodeOwner)
                  .then((l) => ({ owner: l.state, version: l.version })),
              ] as const,
          ),
        ),
      );
      const decision = decidePromotionCodes(state, ids, wanted, owners);
      if (decision.taken)
        throw conflict('promotion_code_taken', `Promotion code ${decision.code} already belongs to partner ${decision.holder}`, {
          field: 'promotionCodes',
          promotionCode: decision.code,
          partnerId: decision.holder,
        });
      return { events, also: decision.also };
    });
    await this.es.settle(checkpoint);
  }
}
