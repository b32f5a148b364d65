import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { ORM, RUNNER } from '../../../core/tokens.js';
import { readSql } from '../../../../libs/database/sql.js';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { WrongExpectedVersion, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import type { PaymentRefunded } from '../../../attribution/domain/payment.events.js';
import { commissionIdFor, commissionStream, decideReversal, evolveCommission, initialCommission } from '../../domain/commission.js';
import { payablesStream, type PayablesChanged } from '../../domain/payables.js';

export class ReverseCommission {
  constructor(readonly refund: PaymentRefunded['data']) {}
}

/**
 * Reverses a refund's share of the payment's commission. Whether the commission is on an invoice comes from the
 * commissions read model at the company's payables version; a reduction appends the payables stream with that
 * version, so it can never race an invoice run that took the unreduced amount.
 */
@CommandHandler(ReverseCommission)
export class ReverseCommissionHandler implements ICommandHandler<ReverseCommission> {
  constructor(private readonly es: EventSourcing, @Inject(ORM) private readonly orm: MikroORM, @Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  async execute({ refund: r }: ReverseCommission): Promise<void> {
    const ids = { commissionId: commissionIdFor(r.paymentId), companyId: r.companyId };
    const streamId = commissionStream(r.companyId, ids.commissionId);
    for (let attempt = 0; attempt < 8; attempt++) {
      const { state, version } = await this.es.load(streamId, initialCommission, evolveCommission);
      if (!state.exists) return;
      const view = await this.invoicing(ids.companyId, ids.commissionId);
      if (!view) {
        await this.catchUp();
        continue;
      }
      const decided = decideReversal(state, ids, { reversalId: r.reversalId, reason: r.reason, refundedTotal: r.refundedTotal, occurredAt: r.occurredAt }, view.invoiced);
      if (!decided) return;
      const appends: StreamAppend[] = [{ streamId, events: [decided.reversed], expectedVersion: version }];
      if (decided.carried) {
        appends.push({ streamId: commissionStream(r.companyId, decided.carried.data.commissionId), events: [decided.carried], expectedVersion: 'no_stream' });
      } else {
        const changed: PayablesChanged = { type: 'PayablesChanged', data: { companyId: r.companyId, partnerId: state.partnerId, commissionId: ids.commissionId, cause: 'commission_reduced' } };
        appends.push({ streamId: payablesStream(r.companyId), events: [changed], expectedVersion: view.guardVersion });
      }
      try {
        await this.es.appendMany(appends);
        return;
      } catch (e) {
        if (!(e instanceof WrongExpectedVersion)) throw e;
        await this.catchUp();
      }
    }
    throw new Error(`commission ${ids.commissionId}: could not record reversal ${r.reversalId}`);
  }

  private async invoicing(companyId: string, commissionId: string): Promise<{ invoiced: boolean; guardVersion: number } | undefined> {
    const [row] = await readSql(this.orm).query<{ invoice_id: string | null; version: number }>(
      `select c.invoice_id, coalesce(g.version, 0) as version from commissions c
       left join payables_guards g on g.company_id = c.company_id
       where c.company_id = $1 and c.id = $2`,
      [companyId, commissionId],
    );
    return row && { invoiced: row.invoice_id !== null, guardVersion: Number(row.version) };
  }

  private async catchUp(): Promise<void> {
    await this.runner.waitFor((await this.es.store.head()).checkpoint, 10_000, ['commissions']);
  }
}
