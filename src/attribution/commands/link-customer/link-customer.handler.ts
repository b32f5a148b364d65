import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { customerTaken } from '../customer-taken.error.js';
import { CustomerLinker } from './customer-linker.js';

/** The manual link (PUT /leads/{id}/stripe-customer and each bulk row); does not wait for read models. */
export class LinkLeadCustomer {
  constructor(
    readonly companyId: string,
    readonly leadId: string,
    readonly customerId: string,
    readonly attributePastPayments: boolean,
  ) {}
}

@CommandHandler(LinkLeadCustomer)
export class LinkLeadCustomerHandler implements ICommandHandler<LinkLeadCustomer, { attributed: number; checkpoint?: string }> {
  constructor(private readonly linker: CustomerLinker) {}

  async execute(cmd: LinkLeadCustomer) {
    const result = await this.linker.link({
      companyId: cmd.companyId,
      leadId: cmd.leadId,
      customerId: cmd.customerId,
      method: 'manual',
      attributePast: cmd.attributePastPayments ? 'manual' : undefined,
    });
    if (result.taken) throw customerTaken(cmd.customerId, result.holder);
    return { attributed: result.attributed, checkpoint: result.checkpoint };
  }
}
