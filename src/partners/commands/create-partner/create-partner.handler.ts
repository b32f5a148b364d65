import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import { partnerStream, referralKeyStream, referralLinkStream, type PartnerCreated, type ReferralLinkClaimed } from '../../domain/partner.js';
import { hashApiKey, newApiKey } from '../../../../libs/crypto/secrets.js';
import type { CommissionPlan } from '../../../shared-kernel/commission-plan.js';

export class CreatePartner {
  constructor(readonly companyId: string, readonly name: string, readonly email: string, readonly currency: string, readonly commissionPlan: CommissionPlan | null) {}
}

@CommandHandler(CreatePartner)
export class CreatePartnerHandler implements ICommandHandler<CreatePartner, { partnerId: string; partnerApiKey: string }> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: CreatePartner) {
    const partnerId = `pa_${randomUUID().replaceAll('-', '')}`;
    const partnerApiKey = newApiKey('pf_partner');
    for (let attempt = 0; ; attempt++) {
      const referralKey = `ref_${randomBytes(6).toString('base64url')}`;
      const event: PartnerCreated = {
        type: 'PartnerCreated',
        data: { partnerId, companyId: cmd.companyId, name: cmd.name.trim(), email: cmd.email.trim(), currency: cmd.currency, referralKey, commissionPlan: cmd.commissionPlan, apiKeyHash: hashApiKey(partnerApiKey) },
      };
      const link: ReferralLinkClaimed = { type: 'ReferralLinkClaimed', data: { referralKey, companyId: cmd.companyId, partnerId } };
      try {
        const [, , created] = await this.es.appendMany([
          { streamId: referralKeyStream(cmd.companyId, referralKey), events: [{ type: 'ReferralKeyClaimed', data: { companyId: cmd.companyId, referralKey, partnerId } }], expectedVersion: 'no_stream' },
          { streamId: referralLinkStream(referralKey), events: [link], expectedVersion: 'no_stream' },
          { streamId: partnerStream(cmd.companyId, partnerId), events: [event], expectedVersion: 'no_stream' },
        ]);
        await this.es.settle(created!.checkpoint);
        return { partnerId, partnerApiKey };
      } catch (e) {
        // A key drawn twice: draw another.
        if (!(e instanceof WrongExpectedVersion) || e.streamId === partnerStream(cmd.companyId, partnerId) || attempt >= 3) throw e;
      }
    }
  }
}
