import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { ORM, RUNNER } from '../../../core/tokens.js';
import { readSql } from '../../../../libs/database/sql.js';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { INVOICE_COMPLETION, invoiceOnReversal, reservePayables } from '../../../invoicing/index.js';
import { commissionIdFor, commissionStream, decideReversal, evolveCommission, initialCommission, type ReversalReason } from '../../domain/commission.js';

/** `refundedTotal: 'all'` reverses the whole commission (its plan revoked it). */
export interface CommissionReversal {
  companyId: string;
  paymentId: string;
  reversalId: string;
  reason: ReversalReason;
  refundedTotal: number | 'all';
  occurredAt: string;
}

export class ReverseCommission {
  constructor(readonly reversal: CommissionReversal) {}
}

/**
 * Reverses a refund's (or a revocation's) share of the payment's commission. Where the commission stands comes from the
 * commissions read model at the company's payables version, and its invoice from the invoice's own stream:
 * - not invoiced: reduced in place; the payables stream is appended with that version, so it can never race an
 *   invoice run that took the unreduced amount;
 * - on an invoice no one can have paid yet: the invoice is voided in the same atomic append (at the version read, so
 *   it races Pay on that stream: whichever comes second sees the other), then reduced as above. The invoicing module
 *   generates the partner's invoice for that period again (`InvoiceRegenerationReactor`);
 * - on an invoice being paid or paid: left as it is, and a negative commission carries the reversal to the next invoice.
 */
@CommandHandler(ReverseCommission)
export class ReverseCommissionHandler implements ICommandHandler<ReverseCommission> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  /**
   * Written in this order, so that every prefix a crash (or EventStoreDB's stream-by-stream `appendMany`) can leave is a
   * state the domain accepts and the refund's redelivery completes: the payables reservation first (`PayablesChanged`
   * with the reversal: runs that read the guard before it fail, runs after it leave the commission alone until its
   * reversal is recorded), the invoice's void, the negative commission carrying the reversal (loaded, so it is written
   * once), and last the reversal on the commission, which ends the reservation.
   */
  async execute({ reversal: r }: ReverseCommission): Promise<void> {
    const ids = { commissionId: commissionIdFor(r.paymentId), companyId: r.companyId };
    const streamId = commissionStream(r.companyId, ids.commissionId);
    let view: { invoiceId: string | null; guardVersion: number } | undefined;
    for (let wait = 0; !view; wait++) {
      view = await this.invoicing(ids.companyId, ids.commissionId);
      if (view) break;
      const commission = await this.es.load(streamId, initialCommission, evolveCommission);
      if (!commission.state.exists) return;
      if (wait >= 8) throw new Error(`commission ${ids.commissionId}: not in the commissions read model`);
      await this.catchUp();
    }
    const catchUp = async () => {
      await this.catchUp();
      view = (await this.invoicing(ids.companyId, ids.commissionId)) ?? view;
    };
    await this.es.handle(
      `reverse-commission:${streamId}:${r.reversalId}`,
      async (ctx) => {
        const { state, version } = await ctx.loadStream(streamId, initialCommission, evolveCommission);
        if (!state.exists) return;
        const { invoiceId, guardVersion } = view!;
        const invoice = invoiceId
          ? await invoiceOnReversal(ctx, { companyId: r.companyId, invoiceId, commissionId: ids.commissionId }, async () => {
              await this.runner.waitFor((await this.es.store.head()).checkpoint, 10_000, [INVOICE_COMPLETION]);
            })
          : null;
        const refundedTotal = r.refundedTotal === 'all' ? state.paymentAmount : r.refundedTotal;
        const decided = decideReversal(
          state,
          ids,
          { reversalId: r.reversalId, reason: r.reason, refundedTotal, occurredAt: r.occurredAt },
          invoice?.invoiced ?? false,
        );
        if (!decided) return;
        if (!decided.carried)
          reservePayables(ctx, { companyId: r.companyId, partnerId: state.partnerId, commissionId: ids.commissionId, reversalId: r.reversalId }, guardVersion);
        invoice?.appendVoid();
        if (decided.carried) {
          const carried = await ctx.loadStream(commissionStream(r.companyId, decided.carried.data.commissionId), initialCommission, evolveCommission);
          if (!carried.state.exists) ctx.appendRaw(carried.streamId, [decided.carried], 'no_stream');
        }
        ctx.appendRaw(streamId, [decided.reversed], version);
      },
      catchUp,
    );
  }

  private async invoicing(companyId: string, commissionId: string): Promise<{ invoiceId: string | null; guardVersion: number } | undefined> {
    const [row] = await readSql(this.orm).query<{ invoice_id: string | null; version: number }>(
      `select c.invoice_id, coalesce(g.version, 0) as version from commissions c
       left join payables_guards g on g.company_id = c.company_id
       where c.company_id = $1 and c.id = $2`,
      [companyId, commissionId],
    );
    return row && { invoiceId: row.invoice_id, guardVersion: Number(row.version) };
  }

  private async catchUp(): Promise<void> {
    await this.runner.waitFor((await this.es.store.head()).checkpoint, 10_000, ['commissions']);
  }
}
