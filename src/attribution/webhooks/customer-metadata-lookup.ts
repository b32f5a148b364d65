import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import type { AppConfig } from '../../../libs/config/config.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { createStripeClient } from '../../../libs/stripe/stripe-client.js';
import { CONFIG, LOGGER } from '../../core/tokens.js';
import { CompaniesQuery } from '../../companies/index.js';
import type { CommissionExclusion } from '../domain/payment.events.js';
import { excludesCommission } from '../domain/stripe-mapping.js';

/**
 * Whether the Stripe customer's metadata says `partnerflow: "false"` (SPEC §11), read with the company's stored API key
 * (`GET /v1/customers/{id}`) when the event did not carry the customer. A deleted customer is not excluded. Without a
 * key, with a key Stripe rejects (401/403) or an unknown customer, it is not checked here (RecordPayment then uses
 * the last `customer.created`/`customer.updated` seen). Any other Stripe error is thrown, so the reactor retries and
 * then stops at the event rather than paying a commission the company excluded.
 */
@Injectable()
export class CustomerMetadataLookup {
  constructor(
    private readonly companies: CompaniesQuery,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** `checked`: Stripe answered for the customer (otherwise the last customer.created/updated event seen decides). */
  async exclusion(companyId: string, customerId: string): Promise<{ checked: boolean; excluded: CommissionExclusion | null }> {
    const { apiKey } = await this.companies.stripeSecrets(companyId);
    if (!apiKey) return { checked: false, excluded: null };
    const stripe = createStripeClient({ secretKey: apiKey, apiBase: this.config.stripeApiBase });
    try {
      const customer = await stripe.customers.retrieve(customerId);
      if (customer.deleted) return { checked: true, excluded: null };
      return {
        checked: true,
        excluded: excludesCommission(customer.metadata) ? { where: 'customer', reason: `metadata partnerflow: "false" on customer ${customerId}` } : null,
      };
    } catch (e) {
      if (
        e instanceof Stripe.errors.StripeAuthenticationError ||
        e instanceof Stripe.errors.StripePermissionError ||
        (e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404)
      ) {
        this.log.warn(
          { companyId, customerId, reason: e.message },
          'customer not readable with the company API key: its partnerflow metadata comes from customer events only',
        );
        return { checked: false, excluded: null };
      }
      throw e;
    }
  }
}
