import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CONFIG } from '../../../core/tokens.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { encryptSecret } from '../../../../libs/crypto/secrets.js';
import { invalid, notFound } from '../../../../libs/http/domain-error.js';
import { evolvePartner, initialPartner, partnerStream } from '../../domain/partner.js';
import { isValidIban, malformedField, maskBankDetails, normalizeBankDetails, type BankDetails, type PartnerBankDetailsSet } from '../../domain/bank-details.js';

/** The partner's bank details for payments by transfer (sent by the invoicing module's portal route). */
export class SetBankDetails {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly details: BankDetails,
  ) {}
}

@CommandHandler(SetBankDetails)
export class SetBankDetailsHandler implements ICommandHandler<SetBankDetails> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(cmd: SetBankDetails): Promise<void> {
    const malformed = malformedField({ ...cmd.details });
    if (malformed) throw invalid(malformed, `${malformed} must be valid Unicode text`);
    const details = normalizeBankDetails(cmd.details);
    if (!details.iban && !details.accountNumber) throw invalid('iban', 'give an iban or an accountNumber');
    if (details.iban && !isValidIban(details.iban)) throw invalid('iban', 'iban is not a valid IBAN (ISO 13616 checksum)');
    const { checkpoint } = await this.es.execute(partnerStream(cmd.companyId, cmd.partnerId), initialPartner, evolvePartner, (state) => {
      if (!state.exists) throw notFound('partner', cmd.partnerId);
      const event: PartnerBankDetailsSet = {
        type: 'PartnerBankDetailsSet',
        data: {
          partnerId: cmd.partnerId,
          companyId: cmd.companyId,
          bankDetailsEncrypted: encryptSecret(JSON.stringify(details), this.config.encryptionKey),
          bankDetailsMasked: maskBankDetails(details),
        },
      };
      return { events: [event] };
    });
    await this.es.settle(checkpoint);
  }
}
