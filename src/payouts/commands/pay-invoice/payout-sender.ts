import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { LOGGER } from '../../../core/tokens.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { isTransientStripeError, withStripeRetries } from '../../../../libs/stripe/retry.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { InvoicePayments, type PaymentFailure, type PreparedAttempt } from '../../../invoicing/index.js';
import { IDEMPOTENCY_WINDOW_MS, intentSnapshot, paymentIntentParams } from '../../domain/payout-attempt.js';

/**
 * Sends a prepared Pay attempt to Stripe and has the invoicing module record what happened on the invoice. Every send of
 * one attempt carries the same idempotency key and parameters, so Stripe charges at most once
 * however often it is called (retries, a second instance, recovery after a crash).
 */
@Injectable()
export class PayoutSender {
  constructor(
    private readonly payments: InvoicePayments,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Answers the checkpoint of what it recorded; throws 503 when Stripe stayed unreachable (the attempt stays open). */
  async send(a: PreparedAttempt, startedAt: Date): Promise<string | undefined> {
    let intent: Stripe.PaymentIntent | undefined;
    try {
      if (Date.now() - startedAt.getTime() > IDEMPOTENCY_WINDOW_MS) intent = await this.findSent(a);
      intent ??= await withStripeRetries(() => this.stripe.paymentIntents.create(paymentIntentParams(a), { idempotencyKey: a.idempotencyKey }));
    } catch (e) {
      if (isTransientStripeError(e)) {
        this.log.warn({ invoiceId: a.invoiceId, attempt: a.attempt, err: (e as Error).message }, 'Stripe unreachable; the payout attempt stays open');
        throw new DomainError(
          503,
          'stripe_unavailable',
          'Stripe did not answer; the payment stays processing and is retried with the same idempotency key, so it can never be charged twice',
        );
      }
      if (!(e instanceof Stripe.errors.StripeError)) throw e;
      const failure: PaymentFailure = { code: e.code ?? null, declineCode: e.decline_code ?? null, message: e.message };
      if (e instanceof Stripe.errors.StripeCardError && e.payment_intent) {
        const declined = intentSnapshot(e.payment_intent);
        return this.payments.recordIntent(a, { ...declined, failure: declined.failure ?? failure }, new Date());
      }
      return this.payments.recordRefusal(a, failure);
    }
    return this.payments.recordIntent(a, intentSnapshot(intent), new Date());
  }

  /** Past the idempotency window a resend could charge again, so look for the attempt's PaymentIntent first. */
  private async findSent(a: PreparedAttempt): Promise<Stripe.PaymentIntent | undefined> {
    for await (const pi of this.stripe.paymentIntents.list({ customer: a.customerId, limit: 100 })) {
      if (pi.metadata?.invoiceId === a.invoiceId && pi.metadata?.attempt === String(a.attempt)) return pi;
    }
    return undefined;
  }
}
