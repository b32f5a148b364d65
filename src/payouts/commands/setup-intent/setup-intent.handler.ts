import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../../libs/stripe/retry.js';
import { RecordPlatformCustomer, RequestPlatformCustomer } from '../../../companies/index.js';
import { stripeProblem } from '../stripe-problem.js';

export class CreateCardSetupIntent {
  constructor(readonly companyId: string) {}
}

/**
 * The company becomes a platform Customer once; each call opens a SetupIntent for an off-session card. Limited to
 * cards (`allowed_payment_method_types`, the pinned API version's `payment_method_types`): Pay charges the saved
 * method off-session, which Link or a bank account set up here could not be.
 */
@CommandHandler(CreateCardSetupIntent)
export class CreateCardSetupIntentHandler implements ICommandHandler<CreateCardSetupIntent, { clientSecret: string }> {
  constructor(
    private readonly commands: CommandBus,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
  ) {}

  async execute({ companyId }: CreateCardSetupIntent): Promise<{ clientSecret: string }> {
    try {
      const customer = await this.platformCustomer(companyId);
      const idempotencyKey = `pf-setup-intent-${companyId}-${randomUUID()}`;
      const intent = await withStripeRetries(() =>
        this.stripe.setupIntents.create(
          { customer, usage: 'off_session', allowed_payment_method_types: ['card'], metadata: { companyId } },
          { idempotencyKey },
        ),
      );
      return { clientSecret: intent.client_secret! };
    } catch (e) {
      throw stripeProblem(e);
    }
  }

  /**
   * The company's platform customer, created once: the request (with its idempotency key) recorded by companies first,
   * so concurrent callers send Stripe the same key and get the same customer; the first one recorded wins.
   */
  private async platformCustomer(companyId: string): Promise<string> {
    const billing = await this.commands.execute(new RequestPlatformCustomer(companyId));
    if (billing.customerId) return billing.customerId;
    const request = billing.request!;
    const created = await withStripeRetries(() =>
      this.stripe.customers.create({ name: request.name, metadata: { companyId } }, { idempotencyKey: request.idempotencyKey }),
    );
    return this.commands.execute(new RecordPlatformCustomer(companyId, created.id));
  }
}
