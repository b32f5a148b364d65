import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LOGGER } from '../../../core/tokens.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { isTransientStripeError, withStripeRetries } from '../../../../libs/stripe/retry.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { decidePaymentFailed, evolveInvoice, initialInvoice, invoiceStream } from '../../../invoicing/domain/invoice.js';
import {
  decideIntentOutcome,
  failureCode,
  failureReason,
  IDEMPOTENCY_WINDOW_MS,
  intentSnapshot,
  paymentIntentParams,
  type IntentSnapshot,
  type PaymentFailure,
  type PayoutAttemptPrepared,
  type PreparedAttempt,
} from '../../domain/payout-attempt.js';

export type AttemptKey = { companyId: string; invoiceId: string; attempt: number };

/**
 * Sends a prepared Pay attempt to Stripe and records what happened on the invoice. Every send of
 * one attempt carries the same idempotency key and parameters, so Stripe charges at most once
 * however often it is called (retries, a second instance, recovery after a crash).
 */
@Injectable()
export class PayoutSender {
  constructor(
    private readonly es: EventSourcing,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async loadAttempt(key: AttemptKey): Promise<{ attempt: PreparedAttempt; startedAt: Date } | undefined> {
    const events = await this.es.store.readStream(invoiceStream(key.companyId, key.invoiceId));
    const prepared = events.find((e) => e.type === 'PayoutAttemptPrepared' && (e.data as PreparedAttempt).attempt === key.attempt);
    return prepared && { attempt: (prepared as unknown as PayoutAttemptPrepared).data, startedAt: prepared.occurredAt };
  }

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
        return this.record(a, { ...declined, failure: declined.failure ?? failure }, new Date());
      }
      return this.recordRefusal(a, failure);
    }
    return this.record(a, intentSnapshot(intent), new Date());
  }

  /** Applies a PaymentIntent (from the create answer or a webhook) to its invoice attempt. */
  async record(key: AttemptKey, intent: IntentSnapshot, at: Date): Promise<string | undefined> {
    const ids = { invoiceId: key.invoiceId, companyId: key.companyId };
    const { checkpoint } = await this.es.execute(invoiceStream(key.companyId, key.invoiceId), initialInvoice, evolveInvoice, (state) => ({
      events: state.exists ? decideIntentOutcome(state, ids, key.attempt, intent, at.toISOString()) : [],
    }));
    return checkpoint;
  }

  /** Stripe refused the request itself (no PaymentIntent exists), so nothing was charged. */
  private async recordRefusal(a: PreparedAttempt, failure: PaymentFailure): Promise<string | undefined> {
    const ids = { invoiceId: a.invoiceId, companyId: a.companyId };
    const { checkpoint } = await this.es.execute(invoiceStream(a.companyId, a.invoiceId), initialInvoice, evolveInvoice, (state) => ({
      events: decidePaymentFailed(state, ids, a.attempt, null, failureReason(failure), failureCode(failure)),
    }));
    return checkpoint;
  }

  /** Past the idempotency window a resend could charge again, so look for the attempt's PaymentIntent first. */
  private async findSent(a: PreparedAttempt): Promise<Stripe.PaymentIntent | undefined> {
    for await (const pi of this.stripe.paymentIntents.list({ customer: a.customerId, limit: 100 })) {
      if (pi.metadata?.invoiceId === a.invoiceId && pi.metadata?.attempt === String(a.attempt)) return pi;
    }
    return undefined;
  }
}
