import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import Stripe from 'stripe';
import type { AppConfig } from '../../../libs/config/config.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { createStripeClient } from '../../../libs/stripe/stripe-client.js';
import { CONFIG, LOGGER } from '../../core/tokens.js';
import { CompaniesQuery } from '../../companies/index.js';
import { promotionReferencesOf } from '../domain/stripe-mapping.js';
import { isJsonObject } from '../domain/stripe-event.js';

const PROMOTION_CODE_ID = /^promo_[A-Za-z0-9]+$/;

/**
 * What webhooks do not say about promotion codes, asked with the company's stored Stripe API key: the
 * customer-facing code of a promotion code id (a partner may be given either; a code's id never changes, so
 * answers are kept), and the promotion codes behind an invoice's Discount ids (API ≥ 2025-03-31 sends `discounts`
 * as ids only). Without a key, or with one Stripe rejects, only what the payload says is used; other Stripe errors
 * are thrown, so the reactor retries and then stops at the event instead of attributing wrongly.
 */
@Injectable()
export class PromotionCodeLookup {
  private readonly codes = new LRUCache<string, string>({ max: 10_000 });

  constructor(
    private readonly companies: CompaniesQuery,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** `refs` plus the customer-facing code of each promotion code id among them. */
  async withCodes(companyId: string, refs: string[]): Promise<string[]> {
    const ids = refs.filter((r) => PROMOTION_CODE_ID.test(r));
    if (ids.length === 0) return refs;
    const stripe = await this.client(companyId);
    if (!stripe) return refs;
    const found: string[] = [];
    for (const id of ids) {
      const key = `${companyId}:${id}`;
      let code = this.codes.get(key);
      if (code === undefined) {
        code = await this.ask(companyId, () => stripe.promotionCodes.retrieve(id).then((p) => p.code));
        if (code) this.codes.set(key, code);
      }
      if (code) found.push(code);
    }
    return [...new Set([...refs, ...found])];
  }

  /** The promotion code ids and codes of an invoice's discounts, expanded through the API. */
  async ofInvoice(companyId: string, invoiceId: string): Promise<string[]> {
    const stripe = await this.client(companyId);
    if (!stripe) return [];
    const invoice = await this.ask(companyId, () => stripe.invoices.retrieve(invoiceId, { expand: ['discounts', 'total_discount_amounts.discount'] }));
    return invoice && isJsonObject(invoice) ? promotionReferencesOf(invoice).codes : [];
  }

  private async client(companyId: string): Promise<Stripe | null> {
    const { apiKey } = await this.companies.stripeSecrets(companyId);
    return apiKey ? createStripeClient({ secretKey: apiKey, apiBase: this.config.stripeApiBase }) : null;
  }

  private async ask<T>(companyId: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof Stripe.errors.StripeAuthenticationError || e instanceof Stripe.errors.StripePermissionError) {
        this.log.warn({ companyId, reason: e.message }, 'stripe rejected the company API key: promotion codes not looked up');
        return undefined;
      }
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404) return undefined;
      throw e;
    }
  }
}
