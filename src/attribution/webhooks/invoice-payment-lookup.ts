import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import type { AppConfig } from '../../../libs/config/config.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { createStripeClient } from '../../../libs/stripe/stripe-client.js';
import { CONFIG, LOGGER } from '../../core/tokens.js';
import { CompaniesQuery } from '../../companies/index.js';

export type InvoiceOfPayment =
  { kind: 'invoice'; invoiceId: string } | { kind: 'none' } | { kind: 'no_api_key' } | { kind: 'api_key_rejected'; message: string };

/**
 * Finds the invoice a payment intent paid, with the company's stored Stripe API key (API ≥ 2025-03-31: charges and
 * payment intents no longer name their invoice; `GET /v1/invoice_payments?payment[type]=payment_intent&…` does).
 * A key Stripe rejects (401/403) answers `api_key_rejected`; any other Stripe error is thrown, so the reactor
 * retries and then stops at the event (visible in /v1/admin/projections) instead of recording a wrong payment.
 */
@Injectable()
export class InvoicePaymentLookup {
  constructor(
    private readonly companies: CompaniesQuery,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async invoiceOfPaymentIntent(companyId: string, paymentIntentId: string): Promise<InvoiceOfPayment> {
    const { apiKey } = await this.companies.stripeSecrets(companyId);
    if (!apiKey) return { kind: 'no_api_key' };
    const stripe = createStripeClient({ secretKey: apiKey, apiBase: this.config.stripeApiBase });
    try {
      const list = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, limit: 10 });
      // One payment intent can pay several invoices; a canceled InvoicePayment paid nothing.
      const live = list.data.filter((p) => p.status !== 'canceled');
      const chosen = live.find((p) => p.status === 'paid') ?? live[0];
      const invoiceId = chosen ? (typeof chosen.invoice === 'string' ? chosen.invoice : chosen.invoice?.id) : undefined;
      if (live.length > 1)
        this.log.warn(
          { companyId, paymentIntentId, invoices: live.map((p) => p.invoice) },
          'payment intent pays several invoices: its charge is linked to the first paid one',
        );
      return invoiceId ? { kind: 'invoice', invoiceId } : { kind: 'none' };
    } catch (e) {
      if (e instanceof Stripe.errors.StripeAuthenticationError || e instanceof Stripe.errors.StripePermissionError) {
        return { kind: 'api_key_rejected', message: e.message };
      }
      throw e;
    }
  }
}
