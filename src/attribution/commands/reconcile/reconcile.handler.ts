import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import Stripe from 'stripe';
import { isTransientStripeError } from '../../../../libs/stripe/retry.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { DomainError, conflict, notFound } from '../../../../libs/http/domain-error.js';
import { CLOCK, CONFIG } from '../../../core/tokens.js';
import type { Clock } from '../../../../libs/event-store/command-handling.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { HANDLED_STRIPE_EVENTS, STRIPE_EVENT_ID, isJsonObject } from '../../domain/stripe-event.js';
import { stripeEventProblem } from '../../domain/stripe-event-limits.js';
import { StripeInbox } from '../../webhooks/stripe-inbox.js';
import { createStripeClient } from '../../../../libs/stripe/stripe-client.js';

/** Stripe keeps events for 30 days: the reach of reconciliation. */
export const RECONCILE_WINDOW_SECONDS = 30 * 86_400;

export class ReconcileStripeEvents {
  /** `since`: unix seconds, at most 30 days back; default the whole window. */
  constructor(
    readonly companyId: string,
    readonly since?: number,
  ) {}
}

export interface ReconcileResult {
  scanned: number;
  ingested: number;
  alreadyKnown: number;
}

/** Lists the company's Stripe events and stores the ones no webhook delivered, through the same idempotent append. */
@CommandHandler(ReconcileStripeEvents)
export class ReconcileStripeEventsHandler implements ICommandHandler<ReconcileStripeEvents, ReconcileResult> {
  constructor(
    private readonly companies: CompaniesQuery,
    private readonly inbox: StripeInbox,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(cmd: ReconcileStripeEvents): Promise<ReconcileResult> {
    const secrets = await this.companies.stripeSecrets(cmd.companyId);
    if (!secrets.exists) throw notFound('company', cmd.companyId);
    if (!secrets.apiKey)
      throw conflict(
        'stripe_api_key_missing',
        'Reconciliation needs the company’s Stripe API key: PUT /v1/company/stripe with apiKey (a restricted key with read access to events)',
      );
    // The company's own account, with its stored restricted key.
    const stripe = createStripeClient({ secretKey: secrets.apiKey, apiBase: this.config.stripeApiBase });
    const gte = Math.max(cmd.since ?? 0, Math.floor(this.clock.now().getTime() / 1000) - RECONCILE_WINDOW_SECONDS);
    const result: ReconcileResult = { scanned: 0, ingested: 0, alreadyKnown: 0 };
    try {
      for await (const event of stripe.events.list({ created: { gte }, types: [...HANDLED_STRIPE_EVENTS], limit: 100 })) {
        result.scanned++;
        // The same door as the webhook: what Stripe would never send is not stored.
        if (!STRIPE_EVENT_ID.test(event.id) || !isJsonObject(event) || stripeEventProblem(event, Math.floor(this.clock.now().getTime() / 1000))) continue;
        const { duplicate } = await this.inbox.ingest(cmd.companyId, event, 'reconcile');
        if (duplicate) result.alreadyKnown++;
        else result.ingested++;
      }
    } catch (e) {
      if (e instanceof Stripe.errors.StripeAuthenticationError || e instanceof Stripe.errors.StripePermissionError) {
        throw new DomainError(422, 'stripe_api_key_rejected', `Stripe rejected the company’s API key: ${e.message}`, { ...result });
      }
      // As everywhere (payouts' stripe-problem.ts): 503 when worth retrying, 502 when Stripe refused the request.
      if (isTransientStripeError(e)) throw new DomainError(503, 'stripe_unavailable', `Stripe could not list events: ${(e as Error).message}`, { ...result });
      if (e instanceof Stripe.errors.StripeError)
        throw new DomainError(502, 'stripe_error', `Stripe refused to list events: ${e.message}`, { ...result, stripeCode: e.code ?? null });
      throw e;
    }
    return result;
  }
}
