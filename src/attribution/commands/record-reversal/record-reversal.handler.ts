import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import { decideReversal, evolvePayment, initialPayment, type Reversal } from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import { evolvePaymentRef, initialPaymentRef, isParked, paymentRefStream, type PaymentReversalParked } from '../../domain/payment-ref.js';

/**
 * A refund or lost dispute: applied to its payment (found by charge, payment intent or invoice id), or parked until the
 * payment arrives (on its own ids, or on its invoice's id when the ids were linked to the invoice before its payment).
 */
export class RecordReversal {
  constructor(readonly companyId: string, readonly reversal: Reversal, readonly refs: string[]) {}
}

@CommandHandler(RecordReversal)
export class RecordReversalHandler implements ICommandHandler<RecordReversal, { applied: boolean; parked: boolean }> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, reversal, refs }: RecordReversal) {
    for (let attempt = 0; ; attempt++) {
      const states = await Promise.all(refs.map(async (ref) => ({ ref, ...(await this.es.load(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)) })));
      const owner = states.find((s) => s.state.paymentId)?.state;
      const parked: PaymentReversalParked['type'] = 'PaymentReversalParked';
      if (owner?.paymentId) {
        const stream = paymentStream(companyId, owner.paymentId);
        const payment = await this.es.load(stream, initialPayment, evolvePayment);
        if (payment.state.facts || !owner.invoiceId) {
          const r = await this.es.execute(stream, initialPayment, evolvePayment, (s) => ({ events: decideReversal(s, reversal) }));
          return { applied: r.appended > 0, parked: false };
        }
        // A reference learnt from an InvoicePayment before the invoice's payment was recorded: park on the
        // invoice's own reference, which the payment reads (and appends to) when it is recorded.
        const invoice = await this.es.load(paymentRefStream(companyId, owner.invoiceId), initialPaymentRef, evolvePaymentRef);
        if (invoice.state.paymentId) {
          if (attempt >= 5) throw new Error(`payment ${owner.paymentId} of invoice ${owner.invoiceId} is referenced but not readable`);
          continue; // recorded meanwhile: apply instead
        }
        if (isParked(invoice.state, reversal)) return { applied: false, parked: true };
        try {
          await this.es.append(paymentRefStream(companyId, owner.invoiceId), [{ type: parked, data: { companyId, ref: owner.invoiceId, reversal } }], invoice.version);
          return { applied: false, parked: true };
        } catch (e) {
          if (!(e instanceof WrongExpectedVersion) || attempt >= 5) throw e;
          continue;
        }
      }
      const appends = states
        .filter((s) => !isParked(s.state, reversal))
        .map((s) => ({ streamId: paymentRefStream(companyId, s.ref), events: [{ type: parked, data: { companyId, ref: s.ref, reversal } }], expectedVersion: s.version }));
      try {
        await this.es.appendMany(appends);
        return { applied: false, parked: true };
      } catch (e) {
        // The payment was recorded meanwhile: apply the reversal to it instead.
        if (!(e instanceof WrongExpectedVersion) || attempt >= 5) throw e;
      }
    }
  }
}
