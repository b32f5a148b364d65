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
import {
  accountCreateParams,
  checkAccountCountry,
  decideAccountCreated,
  decideRequestAccount,
  evolvePartnerConnect,
  initialPartnerConnect,
} from '../../domain/connect.js';
import { PlatformCountry } from './platform-country.js';
import { createOnce } from '../create-once.js';
import { stripeProblem } from '../stripe-problem.js';

export class CreateOnboardingLink {
  /** `country`: ISO 3166-1 alpha-2 of the partner's account, the platform's when absent. */
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly country?: string,
  ) {}
}

/**
 * The partner's Express account is created on the first request and reused; every call gets a fresh link. The
 * account has the Express dashboard through controller properties, only the `transfers` capability, and the
 * `recipient` service agreement when the partner is in another country than the platform.
 */
@CommandHandler(CreateOnboardingLink)
export class CreateOnboardingLinkHandler implements ICommandHandler<CreateOnboardingLink, { url: string }> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly platformCountry: PlatformCountry,
  ) {}

  async execute(cmd: CreateOnboardingLink): Promise<{ url: string }> {
    const ids = { companyId: cmd.companyId, partnerId: cmd.partnerId };
    try {
      const platformCountry = await this.platformCountry.get();
      const where = { country: cmd.country ?? platformCountry, platformCountry, explicit: cmd.country !== undefined };
      const { id: account, checkpoint } = await createOnce(this.es, {
        streamId: partnerStream(cmd.companyId, cmd.partnerId),
        initial: initialPartnerConnect,
        evolve: evolvePartnerConnect,
        check: (s) => {
          if (!s.exists) throw notFound('partner', cmd.partnerId);
          checkAccountCountry(s, where);
        },
        existing: (s) => s.accountId,
        request: (s) => decideRequestAccount(s, ids, where),
        create: async (s) =>
          (await withStripeRetries(() => this.stripe.accounts.create(accountCreateParams(s.request!, ids), { idempotencyKey: s.request!.idempotencyKey }))).id,
        created: (s, accountId) => decideAccountCreated(s, ids, accountId),
      });
      const portal = `${this.config.publicUrl.replace(/\/$/, '')}/portal/stripe/onboarding`;
      const link = await withStripeRetries(() =>
        this.stripe.accountLinks.create({
          account,
          type: 'account_onboarding',
          refresh_url: `${portal}?result=refresh`,
          return_url: `${portal}?result=return`,
        }),
      );
      await this.es.settle(checkpoint);
      return { url: link.url };
    } catch (e) {
      throw stripeProblem(e);
    }
  }
}
