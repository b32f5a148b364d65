import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { AppConfig } from '../../../../libs/config/config.js';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../../libs/stripe/retry.js';
import { CONFIG } from '../../../core/tokens.js';

/** The platform account's country: STRIPE_PLATFORM_COUNTRY, or else Stripe's answer to `GET /v1/account`, read once. */
@Injectable()
export class PlatformCountry {
  private read?: Promise<string>;

  constructor(
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  get(): Promise<string> {
    if (this.config.stripePlatformCountry) return Promise.resolve(this.config.stripePlatformCountry);
    this.read ??= withStripeRetries(() => this.stripe.accounts.retrieveCurrent())
      .then((account) => {
        if (!account.country) throw new Error('Stripe did not say the platform account’s country; set STRIPE_PLATFORM_COUNTRY');
        return account.country.toUpperCase();
      })
      .catch((e: unknown) => {
        this.read = undefined;
        throw e;
      });
    return this.read;
  }
}
