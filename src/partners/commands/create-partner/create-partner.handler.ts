import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { partnerStream, referralKeyStream, referralLinkStream, type PartnerCreated, type ReferralLinkClaimed } from '../../domain/partner.js';
import { hashApiKey, newApiKey } from '../../../../libs/crypto/secrets.js';
import type { CommissionPlan } from '../../../shared-kernel/commission-plan.js';

export class CreatePartner {
  constructor(
    readonly companyId: string,
    readonly name: string,
    readonly email: string,
    readonly currency: string,
    readonly commissionPlan: CommissionPlan | null,
  ) {}
}

@CommandHandler(CreatePartner)
export class CreatePartnerHandler implements ICommandHandler<CreatePartner, { partnerId: string; partnerApiKey: string }> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: CreatePartner) {
    const partnerId = `pa_${randomUUID().replaceAll('-', '')}`;
    const partnerApiKey = newApiKey('pf_partner');
    // The key's claims first (loaded, so a key drawn twice is drawn again on the retry), the partner last: a crash in between leaves claims no one uses.
    const { checkpoint } = await this.es.handle(`create-partner:${partnerId}`, async (ctx) => {
      const referralKey = `ref_${randomBytes(6).toString('base64url')}`;
      const event: PartnerCreated = {
        type: 'PartnerCreated',
        data: {
          partnerId,
          companyId: cmd.companyId,
          name: cmd.name.trim(),
          email: cmd.email.trim(),
          currency: cmd.currency,
          referralKey,
          commissionPlan: cmd.commissionPlan,
          apiKeyHash: hashApiKey(partnerApiKey),
        },
      };
      const link: ReferralLinkClaimed = { type: 'ReferralLinkClaimed', data: { referralKey, companyId: cmd.companyId, partnerId } };
      const noClaims = { claimed: false };
      const [keyClaim, linkClaim] = await Promise.all([
        ctx.loadStream(referralKeyStream(cmd.companyId, referralKey), noClaims, () => ({ claimed: true })),
        ctx.loadStream(referralLinkStream(referralKey), noClaims, () => ({ claimed: true })),
      ]);
      ctx.appendRaw(keyClaim.streamId, [{ type: 'ReferralKeyClaimed', data: { companyId: cmd.companyId, referralKey, partnerId } }], 'no_stream');
      ctx.appendRaw(linkClaim.streamId, [link], 'no_stream');
      ctx.appendRaw(partnerStream(cmd.companyId, partnerId), [event], 'no_stream');
    });
    await this.es.settle(checkpoint);
    return { partnerId, partnerApiKey };
  }
}
