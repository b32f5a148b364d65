import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { ORM, RUNNER } from '../../../core/tokens.js';
import { readSql } from '../../../../libs/database/sql.js';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { WrongExpectedVersion, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import { decideVoidOnReversal, evolveInvoice, initialInvoice, invoiceStream, type InvoiceVoided } from '../../../invoicing/domain/invoice.js';
import { commissionIdFor, commissionStream, decideReversal, evolveCommission, initialCommission, type ReversalReason } from '../../domain/commission.js';
import { payablesStream, type PayablesChanged } from '../../domain/payables.js';

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
  constructor(private readonly es: EventSourcing, @Inject(ORM) private readonly orm: MikroORM, @Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  async execute({ reversal: r }: ReverseCommission): Promise<void> {
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
      const appends: StreamAppend[] = [];
      let invoiced = false;
      if (view.invoiceId) {
        const invoice = await this.es.load(invoiceStream(r.companyId, view.invoiceId), initialInvoice, evolveInvoice);
        const voided: InvoiceVoided | null = decideVoidOnReversal(invoice.state, { invoiceId: view.invoiceId, companyId: r.companyId }, ids.commissionId);
        if (voided) appends.push({ streamId: invoiceStream(r.companyId, view.invoiceId), events: [voided], expectedVersion: invoice.version });
        invoiced = !voided && invoice.state.status !== 'void';
      }
      const refundedTotal = r.refundedTotal === 'all' ? state.paymentAmount : r.refundedTotal;
      const decided = decideReversal(state, ids, { reversalId: r.reversalId, reason: r.reason, refundedTotal, occurredAt: r.occurredAt }, invoiced);
      if (!decided) return;
      appends.push({ streamId, events: [decided.reversed], expectedVersion: version });
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
