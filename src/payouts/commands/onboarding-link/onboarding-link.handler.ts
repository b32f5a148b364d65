import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type Stripe from 'stripe';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CONFIG } from '../../../core/tokens.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../../libs/stripe/retry.js';
import { partnerStream } from '../../../partners/domain/partner.js';
import { decideAccountCreated, decideRequestAccount, evolvePartnerConnect, initialPartnerConnect } from '../../domain/connect.js';
import { createOnce } from '../create-once.js';
import { stripeProblem } from '../stripe-problem.js';

export class CreateOnboardingLink {
  constructor(readonly companyId: string, readonly partnerId: string) {}
}

/** The partner's Express account is created on the first request and reused; every call gets a fresh link. */
@CommandHandler(CreateOnboardingLink)
export class CreateOnboardingLinkHandler implements ICommandHandler<CreateOnboardingLink, { url: string }> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(cmd: CreateOnboardingLink): Promise<{ url: string }> {
    const ids = { companyId: cmd.companyId, partnerId: cmd.partnerId };
    try {
      const { id: account, checkpoint } = await createOnce(this.es, {
        streamId: partnerStream(cmd.companyId, cmd.partnerId),
        initial: initialPartnerConnect,
        evolve: evolvePartnerConnect,
        check: (s) => {
          if (!s.exists) throw notFound('partner', cmd.partnerId);
        },
        existing: (s) => s.accountId,
        request: (s) => decideRequestAccount(s, ids),
        create: async (s) => {
          const params: Stripe.AccountCreateParams = {
            type: 'express',
            email: s.request!.email,
            metadata: ids,
            capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
          };
          return (await withStripeRetries(() => this.stripe.accounts.create(params, { idempotencyKey: s.request!.idempotencyKey }))).id;
        },
        created: (s, accountId) => decideAccountCreated(s, ids, accountId),
      });
      const portal = `${this.config.publicUrl.replace(/\/$/, '')}/portal/stripe/onboarding`;
      const link = await withStripeRetries(() =>
        this.stripe.accountLinks.create({ account, type: 'account_onboarding', refresh_url: `${portal}?result=refresh`, return_url: `${portal}?result=return` }),
      );
      await this.es.settle(checkpoint);
      return { url: link.url };
    } catch (e) {
      throw stripeProblem(e);
    }
  }
}
