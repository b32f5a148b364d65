import type { Event } from '../../../libs/event-store/event-store.port.js';
import { reversalId, type Reversal } from './payment.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/**
 * One stream per Stripe charge, payment intent or invoice id a payment is known by. A refund or lost
 * dispute finds its payment here, or parks here when it arrives first; the payment, when recorded,
 * applies what was parked. Both append at the version they read, so neither can miss the other.
 */
export const paymentRefStream = (companyId: string, ref: string) => `paymentref-${companyId}-${streamKey(ref)}`;

/**
 * `invoiceId`: set when the reference was learnt from an InvoicePayment (API ≥ 2025-03-31) rather than recorded
 * with its payment: the invoice's payment may not be recorded yet, and a reversal then parks on the invoice's own
 * reference, which the payment reads when it is recorded.
 */
export type PaymentReferenceRecorded = { type: 'PaymentReferenceRecorded'; data: { companyId: string; ref: string; paymentId: string; invoiceId?: string } };
export type PaymentReversalParked = { type: 'PaymentReversalParked'; data: { companyId: string; ref: string; reversal: Reversal } };
export type PaymentRefEvent = PaymentReferenceRecorded | PaymentReversalParked;

export interface PaymentRefState {
  paymentId: string | null;
  /** The invoice whose payment `paymentId` is, when the reference was linked from an InvoicePayment. */
  invoiceId: string | null;
  parked: Reversal[];
}

export const initialPaymentRef: PaymentRefState = { paymentId: null, invoiceId: null, parked: [] };

const isPaymentRefEvent = isEventOf<PaymentRefEvent>()('PaymentReferenceRecorded', 'PaymentReversalParked');

export function evolvePaymentRef(state: PaymentRefState, e: Event): PaymentRefState {
  if (!isPaymentRefEvent(e)) return state;
  switch (e.type) {
    case 'PaymentReferenceRecorded':
      return state.paymentId ? state : { ...state, paymentId: e.data.paymentId, invoiceId: e.data.invoiceId ?? null };
    case 'PaymentReversalParked':
      return isParked(state, e.data.reversal) ? state : { ...state, parked: [...state.parked, e.data.reversal] };
    default:
      return state;
  }
}

export const isParked = (state: PaymentRefState, r: Reversal): boolean => state.parked.some((p) => reversalId(p) === reversalId(r));

/** The parked reversals of several reference streams, each once. */
export function parkedReversals(states: PaymentRefState[]): Reversal[] {
  const seen = new Map<string, Reversal>();
  for (const s of states) for (const r of s.parked) seen.set(reversalId(r), r);
  return [...seen.values()];
}
