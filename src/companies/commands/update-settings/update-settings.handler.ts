import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyRef, decideSettings, type SettingsPatch } from '../../domain/company.js';
import { notFound } from '../../../../libs/http/domain-error.js';

export class UpdateCompanySettings extends Command<void> {
  constructor(
    readonly companyId: string,
    readonly patch: SettingsPatch,
  ) {
    super();
  }
}

@CommandHandler(UpdateCompanySettings)
export class UpdateCompanySettingsHandler implements ICommandHandler<UpdateCompanySettings> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: UpdateCompanySettings): Promise<void> {
    const { checkpoint } = await this.es.handle(randomUUID(), async (ctx) => {
      const company = await ctx.load(companyRef(cmd.companyId));
      if (!company.state.exists) throw notFound('company', cmd.companyId);
      ctx.append(company, decideSettings(company.state, cmd.companyId, cmd.patch));
    });
    await this.es.settle(checkpoint);
  }
}
