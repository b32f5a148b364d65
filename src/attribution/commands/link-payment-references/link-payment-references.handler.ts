import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decideReversals, evolvePayment, initialPayment } from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import {
  evolvePaymentRef,
  initialPaymentRef,
  isParked,
  parkedReversals,
  paymentRefStream,
  type PaymentReferenceRecorded,
  type PaymentReversalParked,
} from '../../domain/payment-ref.js';
import { paymentIdFor } from '../../domain/stripe-mapping.js';

/**
 * The payment intent / charge ids of an invoice's payment, learnt from an InvoicePayment (API ≥ 2025-03-31, where
 * invoices and charges no longer name each other): recorded as references of the invoice's payment, so the charge's
 * `charge.succeeded` is not a second payment and its refunds find the payment. Reversals parked on those ids (a refund
 * that came first) are applied to the payment, or, when the invoice's payment is not recorded yet, moved to the
 * invoice's own reference, which the payment reads when it is recorded. Every stream is appended at the version
 * read, so a payment, a refund or another link racing this one makes one of them re-read and decide again.
 */
export class LinkPaymentReferences {
  constructor(
    readonly companyId: string,
    readonly invoiceId: string,
    readonly refs: string[],
  ) {}
}

export interface LinkPaymentReferencesResult {
  paymentId: string;
  /** References recorded now (empty when all were known: a redelivery). */
  linked: string[];
  /** References that already belong to another payment (a charge recorded as standalone before its invoice was known). */
  foreign: { ref: string; paymentId: string }[];
  /** Parked reversals applied to the payment now, or moved to the invoice's reference to wait for it. */
  reversalsApplied: number;
  reversalsParked: number;
}

@CommandHandler(LinkPaymentReferences)
export class LinkPaymentReferencesHandler implements ICommandHandler<LinkPaymentReferences, LinkPaymentReferencesResult> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, invoiceId, refs }: LinkPaymentReferences): Promise<LinkPaymentReferencesResult> {
    const paymentId = paymentIdFor(companyId, invoiceId);
    const invoiceRef = paymentRefStream(companyId, invoiceId);
    const others = [...new Set(refs)].filter((r) => r !== invoiceId);
    // A crash between the streams (EventStoreDB writes them one by one) leaves some references linked: the retry takes
    // the reversals parked on those too, so none is left behind.
    const { result } = await this.es.handle(`link-payment-references:${invoiceRef}:${others.join(',')}`, async (ctx) => {
      const [invoice, states] = await Promise.all([
        ctx.loadStream(invoiceRef, initialPaymentRef, evolvePaymentRef),
        Promise.all(others.map(async (ref) => ({ ref, ...(await ctx.loadStream(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)) }))),
      ]);
      const foreign = states
        .filter((s) => s.state.paymentId !== null && s.state.paymentId !== paymentId)
        .map((s) => ({ ref: s.ref, paymentId: s.state.paymentId! }));
      const free = states.filter((s) => s.state.paymentId === null);
      const parked = parkedReversals(states.filter((s) => s.state.paymentId === null || s.state.paymentId === paymentId).map((s) => s.state));

      for (const s of free) {
        const referenced: PaymentReferenceRecorded = { type: 'PaymentReferenceRecorded', data: { companyId, ref: s.ref, paymentId, invoiceId } };
        ctx.appendRaw(s.streamId, [referenced], s.version);
      }
      let reversalsApplied = 0;
      let reversalsParked = 0;
      if (parked.length > 0 && invoice.state.paymentId === paymentId) {
        // The invoice's payment is recorded (its reference is appended with it): apply what was parked.
        const payment = await ctx.loadStream(paymentStream(companyId, paymentId), initialPayment, evolvePayment);
        const events = decideReversals(payment.state, parked);
        reversalsApplied = events.length;
        ctx.appendRaw(payment.streamId, events, payment.version);
      } else if (parked.length > 0) {
        // Not recorded yet: park on the invoice's reference, appended at the version read, as the payment is.
        const moved = parked.filter((r) => !isParked(invoice.state, r));
        reversalsParked = moved.length;
        const type: PaymentReversalParked['type'] = 'PaymentReversalParked';
        ctx.appendRaw(
          invoiceRef,
          moved.map((reversal) => ({ type, data: { companyId, ref: invoiceId, reversal } })),
          invoice.version,
        );
      }
      return { paymentId, linked: free.map((s) => s.ref), foreign, reversalsApplied, reversalsParked };
    });
    return result;
  }
}
