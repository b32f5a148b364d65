import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type Stripe from 'stripe';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CONFIG } from '../../../core/tokens.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../../libs/stripe/retry.js';
import { RecordStripeAccount, RequestStripeAccount, type AccountLocation } from '../../../partners/index.js';
import { accountCreateParams } from '../../domain/connect.js';
import { PlatformCountry } from './platform-country.js';
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
    private readonly commands: CommandBus,
  ) {}

  async execute(cmd: CreateOnboardingLink): Promise<{ url: string }> {
    const ids = { companyId: cmd.companyId, partnerId: cmd.partnerId };
    try {
      const platformCountry = await this.platformCountry.get();
      const where = { country: cmd.country ?? platformCountry, platformCountry, explicit: cmd.country !== undefined };
      const { account, checkpoint } = await this.account(ids, where);
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

  /**
   * The partner's account, created at most once: the partners module records the request (key and parameters) first,
   * Stripe is called with that key (the same account for every caller), then the account is recorded.
   */
  private async account(ids: { companyId: string; partnerId: string }, where: AccountLocation): Promise<{ account: string; checkpoint?: string }> {
    const requested = await this.commands.execute(new RequestStripeAccount(ids.companyId, ids.partnerId, where));
    const { state } = requested;
    if (state.accountId) return { account: state.accountId, checkpoint: requested.checkpoint };
    const created = await withStripeRetries(() =>
      this.stripe.accounts.create(accountCreateParams(state.request!, ids), { idempotencyKey: state.request!.idempotencyKey }),
    );
    const recorded = await this.commands.execute(new RecordStripeAccount(ids.companyId, ids.partnerId, created.id));
    return { account: recorded.accountId, checkpoint: recorded.raced ? undefined : (recorded.checkpoint ?? requested.checkpoint) };
  }
}
