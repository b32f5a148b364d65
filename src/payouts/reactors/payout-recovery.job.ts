import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import Stripe from 'stripe';
import { EventSourcing } from '../../core/event-sourcing.service.js';
import { CONFIG, LEADER, LOGGER } from '../../core/tokens.js';
import type { AppConfig } from '../../../libs/config/config.js';
import type { LeaderLock } from '../../../libs/event-store/leader-lock.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { PLATFORM_STRIPE } from '../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../libs/stripe/retry.js';
import { InvoicePayments } from '../../invoicing/index.js';
import { intentSnapshot, RESUME_AFTER_MS } from '../domain/payout-attempt.js';
import { PayoutSender } from '../commands/pay-invoice/payout-sender.js';
import { PayoutAttemptsQuery, type OpenAttempt } from '../queries/payout-attempts/payout-attempts.query.js';

/**
 * Finishes attempts left open: a process that died between InvoicePaymentStarted and Stripe's
 * answer (resent with the attempt's own key), or a PaymentIntent whose webhook never came (read back).
 */
@Injectable()
export class PayoutRecovery {
  constructor(
    private readonly es: EventSourcing,
    private readonly attempts: PayoutAttemptsQuery,
    private readonly payments: InvoicePayments,
    private readonly sender: PayoutSender,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Interval('payout-recovery', 60_000)
  async tick(): Promise<void> {
    if (!this.config.runBackgroundJobs || !this.leader.held) return;
    await this.run(RESUME_AFTER_MS).catch((e: unknown) => this.log.error({ err: e }, 'payout recovery run failed'));
  }

  /** Answers how many open attempts it finished or moved on. */
  async run(olderThanMs: number): Promise<number> {
    let done = 0;
    for (const open of await this.attempts.open(new Date(Date.now() - olderThanMs))) {
      try {
        if (await this.recover(open)) done++;
      } catch (e) {
        this.log.warn({ invoiceId: open.invoiceId, attempt: open.attempt, err: (e as Error).message }, 'payout recovery failed; will retry');
      }
    }
    return done;
  }

  private async recover(open: OpenAttempt): Promise<boolean> {
    const { state } = await this.payments.open(open.companyId, open.invoiceId);
    if (state.status !== 'processing' || state.attempt !== open.attempt) return false;
    const intentId = state.paymentIntentId ?? open.paymentIntentId;
    if (intentId) {
      const pi = await withStripeRetries(() => this.stripe.paymentIntents.retrieve(intentId));
      await this.es.settle(await this.payments.recordIntent(open, intentSnapshot(pi), new Date()));
      return true;
    }
    const sent = await this.payments.attempt(open);
    if (!sent) return false;
    await this.es.settle(await this.sender.send(sent.attempt, sent.startedAt));
    return true;
  }
}
