import { Inject, Injectable } from '@nestjs/common';
import { conflict } from '../../../../libs/http/domain-error.js';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../../../core/tokens.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';

/** The reactors a refund goes through before it voids an unpaid invoice: Stripe event → payment → commission. */
const REVERSAL_PATH = ['attribution_stripe_events', 'commission_earner'];

/**
 * Before an invoice is paid (Pay or mark-paid), every refund recorded until now must have reached its commission: a
 * reversal of one of the invoice's commissions voids the invoice, so its total is never paid stale. Answers 409
 * `reversals_pending` when they have not caught up within the wait.
 */
@Injectable()
export class PendingReversals {
  constructor(
    private readonly es: EventSourcing,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  async settled(timeoutMs = 5_000): Promise<void> {
    const { checkpoint } = await this.es.store.head();
    if (await this.runner.waitFor(checkpoint, timeoutMs, REVERSAL_PATH)) return;
    throw conflict(
      'reversals_pending',
      'Refunds recorded a moment ago are still being applied to commissions, and one may change this invoice: try again in a few seconds',
    );
  }
}
