import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';
import { evolvePartner, initialPartner, partnerStream, type PartnerLoginLinkIssued, type PartnerState } from '../../domain/partner.js';

/**
 * The sessions module's audit of a portal login link, on the partner's stream before the link works: refused for a
 * partner that does not exist (404) or is deactivated (409). Answers the partner as it was.
 */
export class RecordLoginLinkIssued extends Command<PartnerState> {
  constructor(readonly link: PartnerLoginLinkIssued['data']) {
    super();
  }
}

/** Why a partner can have no login link, if it cannot. */
export function loginLinkRefusal(state: PartnerState, partnerId: string): Error | undefined {
  if (!state.exists) return notFound('partner', partnerId);
  if (!state.active) return conflict('partner_deactivated', 'A deactivated partner has no portal access: reactivate the partner first');
  return undefined;
}

@CommandHandler(RecordLoginLinkIssued)
export class RecordLoginLinkIssuedHandler implements ICommandHandler<RecordLoginLinkIssued> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ link }: RecordLoginLinkIssued): Promise<PartnerState> {
    const { result } = await this.es.execute(partnerStream(link.companyId, link.partnerId), initialPartner, evolvePartner, (state) => {
      const refused = loginLinkRefusal(state, link.partnerId);
      if (refused) throw refused;
      const issued: PartnerLoginLinkIssued = { type: 'PartnerLoginLinkIssued', data: link };
      return { events: [issued], result: state };
    });
    return result!;
  }
}
