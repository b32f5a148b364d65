import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyRef, type CompanyAdminKeyRotated } from '../../domain/company.js';
import { hashApiKey, newApiKey } from '../../../../libs/crypto/secrets.js';
import { notFound } from '../../../../libs/http/domain-error.js';

export class RotateAdminKey extends Command<{ adminApiKey: string }> {
  constructor(readonly companyId: string) {
    super();
  }
}

/** A new admin key; the old one stops working once the api_keys projection has the event, which this waits for. */
@CommandHandler(RotateAdminKey)
export class RotateAdminKeyHandler implements ICommandHandler<RotateAdminKey, { adminApiKey: string }> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId }: RotateAdminKey) {
    const adminApiKey = newApiKey('pf_admin');
    const { checkpoint } = await this.es.handle(randomUUID(), async (ctx) => {
      const company = await ctx.load(companyRef(companyId));
      if (!company.state.exists) throw notFound('company', companyId);
      const rotated: CompanyAdminKeyRotated = { type: 'CompanyAdminKeyRotated', data: { companyId, adminKeyHash: hashApiKey(adminApiKey) } };
      ctx.append(company, [rotated]);
    });
    await this.es.settle(checkpoint);
    return { adminApiKey };
  }
}
