import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyRef, type CompanyStripeConnected } from '../../domain/company.js';
import { encryptSecret } from '../../../../libs/crypto/secrets.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { CONFIG } from '../../../core/tokens.js';

export class ConnectCompanyStripe extends Command<void> {
  constructor(
    readonly companyId: string,
    readonly webhookSecret: string,
    readonly apiKey?: string,
  ) {
    super();
  }
}

@CommandHandler(ConnectCompanyStripe)
export class ConnectCompanyStripeHandler implements ICommandHandler<ConnectCompanyStripe> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(cmd: ConnectCompanyStripe): Promise<void> {
    const key = this.config.encryptionKey;
    const { checkpoint } = await this.es.handle(randomUUID(), async (ctx) => {
      const company = await ctx.load(companyRef(cmd.companyId));
      if (!company.state.exists) throw notFound('company', cmd.companyId);
      const event: CompanyStripeConnected = {
        type: 'CompanyStripeConnected',
        data: {
          companyId: cmd.companyId,
          webhookSecretEncrypted: encryptSecret(cmd.webhookSecret, key),
          apiKeyEncrypted: cmd.apiKey ? encryptSecret(cmd.apiKey, key) : null,
        },
      };
      ctx.append(company, [event]);
    });
    await this.es.settle(checkpoint);
  }
}
