import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import { decideReversal, evolvePayment, initialPayment, type Reversal } from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import { evolvePaymentRef, initialPaymentRef, isParked, paymentRefStream, type PaymentReversalParked } from '../../domain/payment-ref.js';

/** A refund or lost dispute: applied to its payment (found by charge, payment intent or invoice id), or parked until the payment arrives. */
export class RecordReversal {
  constructor(readonly companyId: string, readonly reversal: Reversal, readonly refs: string[]) {}
}

@CommandHandler(RecordReversal)
export class RecordReversalHandler implements ICommandHandler<RecordReversal, { applied: boolean; parked: boolean }> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, reversal, refs }: RecordReversal) {
    for (let attempt = 0; ; attempt++) {
      const states = await Promise.all(refs.map(async (ref) => ({ ref, ...(await this.es.load(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)) })));
      const paymentId = states.find((s) => s.state.paymentId)?.state.paymentId;
      if (paymentId) {
        const r = await this.es.execute(paymentStream(companyId, paymentId), initialPayment, evolvePayment, (s) => ({ events: decideReversal(s, reversal) }));
        return { applied: r.appended > 0, parked: false };
      }
      const parked: PaymentReversalParked['type'] = 'PaymentReversalParked';
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
