import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyStream, decideSettings, evolveCompany, initialCompany, type SettingsPatch } from '../../domain/company.js';
import { notFound } from '../../../../libs/http/domain-error.js';

export class UpdateCompanySettings {
  constructor(readonly companyId: string, readonly patch: SettingsPatch) {}
}

@CommandHandler(UpdateCompanySettings)
export class UpdateCompanySettingsHandler implements ICommandHandler<UpdateCompanySettings> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: UpdateCompanySettings): Promise<void> {
    const { checkpoint } = await this.es.execute(companyStream(cmd.companyId), initialCompany, evolveCompany, (state) => {
      if (!state.exists) throw notFound('company', cmd.companyId);
      return { events: decideSettings(state, cmd.companyId, cmd.patch) };
    });
    await this.es.settle(checkpoint);
  }
}
