import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyRef, newPublishableKey, type CompanyCreated } from '../../domain/company.js';
import { DEFAULT_SCHEDULE } from '../../../shared-kernel/invoice-schedule.js';
import { DEFAULT_COMMISSION_PLAN } from '../../../shared-kernel/commission-plan.js';
import { hashApiKey, newApiKey } from '../../../../libs/crypto/secrets.js';
import { normalizeCurrencyField } from '../../../../libs/http/currency-field.js';

export class CreateCompany extends Command<{ companyId: string; adminApiKey: string }> {
  constructor(
    readonly name: string,
    readonly currency = 'usd',
  ) {
    super();
  }
}

@CommandHandler(CreateCompany)
export class CreateCompanyHandler implements ICommandHandler<CreateCompany, { companyId: string; adminApiKey: string }> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: CreateCompany) {
    const companyId = `co_${randomUUID().replaceAll('-', '')}`;
    const adminApiKey = newApiKey('pf_admin');
    const currency = normalizeCurrencyField(cmd.currency);
    const event: CompanyCreated = {
      type: 'CompanyCreated',
      data: {
        companyId,
        name: cmd.name.trim(),
        currency,
        invoiceSchedule: DEFAULT_SCHEDULE,
        commissionPlan: DEFAULT_COMMISSION_PLAN,
        adminKeyHash: hashApiKey(adminApiKey),
        publishableKey: newPublishableKey(),
      },
    };
    const { checkpoint } = await this.es.handle(companyId, (ctx) => ctx.appendTo(companyRef(companyId), [event], 'no_stream'));
    await this.es.settle(checkpoint);
    return { companyId, adminApiKey };
  }
}
