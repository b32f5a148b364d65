import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decideActive, evolvePartner, initialPartner, partnerStream, type PartnerApiKeyRotated } from '../../domain/partner.js';
import { hashApiKey, newApiKey } from '../../../../libs/crypto/secrets.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { isResourceId } from '../../../shared-kernel/resource-id.js';

export class RotatePartnerKey {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
  ) {}
}
export class SetPartnerActive {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly active: boolean,
  ) {}
}

/** A new portal key for the partner; the old one stops working once the api_keys projection has the event (waited for). */
@CommandHandler(RotatePartnerKey)
export class RotatePartnerKeyHandler implements ICommandHandler<RotatePartnerKey, { partnerApiKey: string }> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, partnerId }: RotatePartnerKey) {
    if (!isResourceId(partnerId)) throw notFound('partner', partnerId);
    const partnerApiKey = newApiKey('pf_partner');
    const { checkpoint } = await this.es.execute(partnerStream(companyId, partnerId), initialPartner, evolvePartner, (state) => {
      if (!state.exists) throw notFound('partner', partnerId);
      const rotated: PartnerApiKeyRotated = { type: 'PartnerApiKeyRotated', data: { partnerId, companyId, apiKeyHash: hashApiKey(partnerApiKey) } };
      return { events: [rotated] };
    });
    await this.es.settle(checkpoint);
    return { partnerApiKey };
  }
}

/** Deactivate (no portal access, no new commissions; history stays) or reactivate a partner. */
@CommandHandler(SetPartnerActive)
export class SetPartnerActiveHandler implements ICommandHandler<SetPartnerActive> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, partnerId, active }: SetPartnerActive): Promise<void> {
    if (!isResourceId(partnerId)) throw notFound('partner', partnerId);
    const { checkpoint } = await this.es.execute(partnerStream(companyId, partnerId), initialPartner, evolvePartner, (state) => {
      if (!state.exists) throw notFound('partner', partnerId);
      return { events: decideActive(state, { partnerId, companyId }, active) };
    });
    await this.es.settle(checkpoint);
  }
}
