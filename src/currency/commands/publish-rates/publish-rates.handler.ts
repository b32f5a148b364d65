import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decidePublish, fxRatesStream, type FxRatesPublished, type PublishRatesInput } from '../../domain/fx-rates.js';

export class PublishFxRates {
  constructor(readonly input: PublishRatesInput) {}
}

@CommandHandler(PublishFxRates)
export class PublishFxRatesHandler implements ICommandHandler<PublishFxRates, FxRatesPublished['data']> {
  constructor(private readonly es: EventSourcing) {}

  async execute(cmd: PublishFxRates): Promise<FxRatesPublished['data']> {
    const event = decidePublish(`fxr_${randomUUID().replaceAll('-', '')}`, cmd.input);
    const { checkpoint } = await this.es.append(fxRatesStream(event.data.base, event.data.asOf), [event], 'any');
    await this.es.settle(checkpoint);
    return event.data;
  }
}
