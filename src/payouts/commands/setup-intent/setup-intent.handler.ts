import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../../libs/stripe/retry.js';
import { companyStream } from '../../../companies/domain/company.js';
import { decideCustomerCreated, decideRequestCustomer, evolveCompanyBilling, initialCompanyBilling } from '../../domain/company-card.js';
import { createOnce } from '../create-once.js';
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
  constructor(private readonly es: EventSourcing, @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe) {}

  async execute({ companyId }: CreateCardSetupIntent): Promise<{ clientSecret: string }> {
    try {
      const { id: customer, checkpoint } = await createOnce(this.es, {
        streamId: companyStream(companyId),
        initial: initialCompanyBilling,
        evolve: evolveCompanyBilling,
        check: (s) => {
          if (!s.exists) throw notFound('company', companyId);
        },
        existing: (s) => s.customerId,
        request: (s) => decideRequestCustomer(s, companyId),
        create: async (s) =>
          (await withStripeRetries(() => this.stripe.customers.create({ name: s.request!.name, metadata: { companyId } }, { idempotencyKey: s.request!.idempotencyKey }))).id,
        created: (s, customerId) => decideCustomerCreated(s, companyId, customerId),
      });
      const idempotencyKey = `pf-setup-intent-${companyId}-${randomUUID()}`;
      const intent = await withStripeRetries(() =>
        this.stripe.setupIntents.create({ customer, usage: 'off_session', allowed_payment_method_types: ['card'], metadata: { companyId } }, { idempotencyKey }),
      );
      await this.es.settle(checkpoint);
      return { clientSecret: intent.client_secret! };
    } catch (e) {
      throw stripeProblem(e);
    }
  }
}
