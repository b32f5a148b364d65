import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import type { PaymentAttributed, PaymentRefunded } from '../../attribution/domain/payment.events.js';
import { EarnCommission } from './earn-commission/earn-commission.handler.js';
import { ReverseCommission } from './reverse-commission/reverse-commission.handler.js';

/** Attributed payments earn commissions (retroactive attributions too); refunds and lost disputes reverse them. */
@Injectable()
export class CommissionsReactor implements Reactor {
  readonly name = 'commission_earner';

  constructor(private readonly commands: CommandBus) {}

  async react(event: RecordedEvent): Promise<void> {
    if (event.type === 'PaymentAttributed') await this.commands.execute(new EarnCommission((event as unknown as PaymentAttributed).data));
    else if (event.type === 'PaymentRefunded') await this.commands.execute(new ReverseCommission((event as unknown as PaymentRefunded).data));
  }
}
