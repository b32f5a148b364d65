import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decideReversal, evolvePayment, initialPayment, reversalId, type Reversal } from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import { evolvePaymentRef, initialPaymentRef, isParked, paymentRefStream, type PaymentReversalParked } from '../../domain/payment-ref.js';

/**
 * A refund or lost dispute: applied to its payment (found by charge, payment intent or invoice id), or parked until the
 * payment arrives (on its own ids, or on its invoice's id when the ids were linked to the invoice before its payment).
 */
export class RecordReversal {
  constructor(
    readonly companyId: string,
    readonly reversal: Reversal,
    readonly refs: string[],
  ) {}
}

@CommandHandler(RecordReversal)
export class RecordReversalHandler implements ICommandHandler<RecordReversal, { applied: boolean; parked: boolean }> {
  constructor(private readonly es: EventSourcing) {}

  /**
   * The payment stream is written before its references (record-payment), so a reference that names a payment names one
   * that is readable; a reversal parked on references the payment has not claimed yet is applied by the payment when it
   * claims them (both append at the version read, so one re-reads the other).
   */
  async execute({ companyId, reversal, refs }: RecordReversal): Promise<{ applied: boolean; parked: boolean }> {
    const parked: PaymentReversalParked['type'] = 'PaymentReversalParked';
    const { result } = await this.es.handle(`record-reversal:${companyId}:${reversalId(reversal)}`, async (ctx) => {
      const states = await Promise.all(
        refs.map(async (ref) => ({ ref, ...(await ctx.loadStream(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)) })),
      );
      const owner = states.find((s) => s.state.paymentId)?.state;
      if (owner?.paymentId) {
        const payment = await ctx.loadStream(paymentStream(companyId, owner.paymentId), initialPayment, evolvePayment);
        if (payment.state.facts || !owner.invoiceId) {
          const events = decideReversal(payment.state, reversal);
          ctx.appendRaw(payment.streamId, events, payment.version);
          return { applied: events.length > 0, parked: false };
        }
        // A reference learnt from an InvoicePayment before the invoice's payment was recorded: park on the
        // invoice's own reference, which the payment reads (and appends to) when it is recorded.
        const invoice = await ctx.loadStream(paymentRefStream(companyId, owner.invoiceId), initialPaymentRef, evolvePaymentRef);
        if (invoice.state.paymentId) {
          // Recorded meanwhile: apply instead.
          const recorded = await ctx.loadStream(paymentStream(companyId, invoice.state.paymentId), initialPayment, evolvePayment);
          if (!recorded.state.facts) throw new Error(`payment ${invoice.state.paymentId} of invoice ${owner.invoiceId} is referenced but not readable`);
          const events = decideReversal(recorded.state, reversal);
          ctx.appendRaw(recorded.streamId, events, recorded.version);
          return { applied: events.length > 0, parked: false };
        }
        if (!isParked(invoice.state, reversal))
          ctx.appendRaw(invoice.streamId, [{ type: parked, data: { companyId, ref: owner.invoiceId, reversal } }], invoice.version);
        return { applied: false, parked: true };
      }
      for (const s of states.filter((x) => !isParked(x.state, reversal)))
        ctx.appendRaw(s.streamId, [{ type: parked, data: { companyId, ref: s.ref, reversal } }], s.version);
      return { applied: false, parked: true };
    });
    return result;
  }
}
