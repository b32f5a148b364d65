import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { customerStream, decideCustomerExclusion, evolveCustomer, initialCustomer, type CustomerExclusionSeen } from '../../domain/customer.js';

export class RecordCustomerMetadata {
  constructor(readonly seen: CustomerExclusionSeen['data']) {}
}

/** Keeps a customer event's `partnerflow: "false"` on the customer's stream, where a payment of that customer reads it. */
@CommandHandler(RecordCustomerMetadata)
export class RecordCustomerMetadataHandler implements ICommandHandler<RecordCustomerMetadata> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ seen }: RecordCustomerMetadata): Promise<void> {
    await this.es.execute(customerStream(seen.companyId, seen.customerId), initialCustomer, evolveCustomer, (state) => ({
      events: decideCustomerExclusion(state, seen),
    }));
  }
}
