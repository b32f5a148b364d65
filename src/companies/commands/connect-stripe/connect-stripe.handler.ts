import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyStream, evolveCompany, initialCompany, type CompanyStripeConnected } from '../../domain/company.js';
import { encryptSecret } from '../../../../libs/crypto/secrets.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { CONFIG } from '../../../core/tokens.js';

export class ConnectCompanyStripe {
  constructor(readonly companyId: string, readonly webhookSecret: string, readonly apiKey?: string) {}
}

@CommandHandler(ConnectCompanyStripe)
export class ConnectCompanyStripeHandler implements ICommandHandler<ConnectCompanyStripe> {
  constructor(private readonly es: EventSourcing, @Inject(CONFIG) private readonly config: AppConfig) {}

  async execute(cmd: ConnectCompanyStripe): Promise<void> {
    const key = this.config.encryptionKey;
    const { checkpoint } = await this.es.execute(companyStream(cmd.companyId), initialCompany, evolveCompany, (state) => {
      if (!state.exists) throw notFound('company', cmd.companyId);
      const event: CompanyStripeConnected = {
        type: 'CompanyStripeConnected',
        data: { companyId: cmd.companyId, webhookSecretEncrypted: encryptSecret(cmd.webhookSecret, key), apiKeyEncrypted: cmd.apiKey ? encryptSecret(cmd.apiKey, key) : null },
      };
      return { events: [event] };
    });
    await this.es.settle(checkpoint);
  }
}
