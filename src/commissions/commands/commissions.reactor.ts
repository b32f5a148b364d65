import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { allReached } from '../../../libs/event-store/checkpoint-store.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import type { SubscriptionRunner } from '../../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../../core/tokens.js';
import { LEADS_PROJECTION, PAYMENTS_PROJECTION, type PaymentAttributed, type PaymentRefunded } from '../../attribution/index.js';
import type { LeadCommissionRevoked } from '../domain/earning.js';
import { EarnCommission } from './earn-commission/earn-commission.handler.js';
import { ReverseCommission } from './reverse-commission/reverse-commission.handler.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

const isAttributed = isEventOf<PaymentAttributed>()('PaymentAttributed');
const isRefunded = isEventOf<PaymentRefunded>()('PaymentRefunded');
const isRevoked = isEventOf<LeadCommissionRevoked>()('LeadCommissionRevoked');

/**
 * Attributed payments earn commissions (retroactive attributions too); refunds and lost disputes reverse them, and so does
 * a plan limit an earlier-paid payment took away (LeadCommissionRevoked: reversed in full, with its own reversal id).
 */
@Injectable()
export class CommissionsReactor implements Reactor {
  readonly name = 'commission_earner';

  constructor(
    private readonly commands: CommandBus,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  /**
   * The fraud checks read leads and payments: those read models must show what was stored up to this event. Looked at
   * once without waking every subscriber (waitFor nudges them all), since projections are usually ahead of reactors.
   */
  private readModelsAt(checkpoint: string): () => Promise<void> {
    const names = [LEADS_PROJECTION, PAYMENTS_PROJECTION];
    return async () => {
      if (allReached(await this.runner.checkpoints.positions(names), names, checkpoint)) return;
      await this.runner.waitFor(checkpoint, 10_000, names);
    };
  }

  async react(event: RecordedEvent): Promise<void> {
    if (isAttributed(event)) await this.commands.execute(new EarnCommission(event.data, this.readModelsAt(event.checkpoint)));
    else if (isRefunded(event)) {
      const r = event.data;
      await this.commands.execute(
        new ReverseCommission({
          companyId: r.companyId,
          paymentId: r.paymentId,
          reversalId: r.reversalId,
          reason: r.reason,
          refundedTotal: r.refundedTotal,
          occurredAt: r.occurredAt,
        }),
      );
    } else if (isRevoked(event)) {
      const r = event.data;
      const reversal = {
        companyId: r.companyId,
        paymentId: r.paymentId,
        reversalId: `revoked_by_${r.displacedBy}`,
        reason: r.reason,
        refundedTotal: 'all' as const,
        occurredAt: event.occurredAt.toISOString(),
      };
      await this.commands.execute(new ReverseCommission(reversal));
    }
  }
}
