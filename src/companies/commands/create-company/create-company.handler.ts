import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyStream, DEFAULT_SCHEDULE, newPublishableKey, type CompanyCreated } from '../../domain/company.js';
import { DEFAULT_COMMISSION_PLAN } from '../../../commissions/domain/commission-plan.js';
import { hashApiKey, newApiKey } from '../../../../libs/crypto/secrets.js';
import { normalizeCurrencyField } from '../../../../libs/http/currency-field.js';

export class CreateCompany {
  constructor(readonly name: string, readonly currency = 'usd') {}
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
      data: { companyId, name: cmd.name.trim(), currency, invoiceSchedule: DEFAULT_SCHEDULE, commissionPlan: DEFAULT_COMMISSION_PLAN, adminKeyHash: hashApiKey(adminApiKey), publishableKey: newPublishableKey() },
    };
    const { checkpoint } = await this.es.append(companyStream(companyId), [event], 'no_stream');
    await this.es.settle(checkpoint);
    return { companyId, adminApiKey };
  }
}
