import type { CommandContext } from '../../../../libs/event-store/command-handling.js';
import { decideVoidOnReversal, evolveInvoice, initialInvoice, invoiceStream } from '../../domain/invoice.js';
import { payablesStream, type PayablesChanged } from '../../domain/payables.js';

/**
 * What a commission's reversal writes to invoicing's streams, inside the commissions module's `ReverseCommission`
 * (which keeps the write order: reservation → invoice void → commission). These contribute appends to that command's
 * context; they are invoicing's decisions on invoicing's streams.
 */

/**
 * The invoice a reversed commission is on: still `invoiced` (being paid or paid), or its void to append (no one can have paid it).
 * An invoice a run decided (its assignment put the commission on it) but has not written yet is completed by the
 * `InvoiceCompletionReactor`: `awaitCompletion` waits for it, and a refund that still finds no invoice fails to be retried.
 */
export async function invoiceOnReversal(
  ctx: CommandContext,
  ids: { companyId: string; invoiceId: string; commissionId: string },
  awaitCompletion: () => Promise<void>,
): Promise<{ invoiced: boolean; appendVoid(): void }> {
  const stream = invoiceStream(ids.companyId, ids.invoiceId);
  let invoice = await ctx.loadStream(stream, initialInvoice, evolveInvoice);
  if (!invoice.state.exists) {
    await awaitCompletion();
    invoice = await ctx.loadStream(stream, initialInvoice, evolveInvoice);
    if (!invoice.state.exists) throw new Error(`invoice ${ids.invoiceId} of commission ${ids.commissionId} is decided but not written yet`);
  }
  const voided = decideVoidOnReversal(invoice.state, { invoiceId: ids.invoiceId, companyId: ids.companyId }, ids.commissionId);
  return {
    invoiced: !voided && invoice.state.status !== 'void',
    appendVoid: () => {
      if (voided) ctx.appendRaw(stream, [voided], invoice.version);
    },
  };
}

/**
 * The reservation of a payable commission being reduced (`PayablesChanged` with the reversal), at the payables version
 * the caller's read model was at: a run that read the guard before it fails on it, and a conflict takes the caller's
 * decision again.
 */
export function reservePayables(
  ctx: CommandContext,
  reduced: { companyId: string; partnerId: string; commissionId: string; reversalId: string },
  payablesVersion: number,
): void {
  const { companyId, partnerId, commissionId, reversalId } = reduced;
  const changed: PayablesChanged = { type: 'PayablesChanged', data: { companyId, partnerId, commissionId, cause: 'commission_reduced', reversalId } };
  ctx.appendRaw(payablesStream(reduced.companyId), [changed], payablesVersion, { retry: true });
}
