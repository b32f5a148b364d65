import { commandEventId } from '../../../libs/event-store/command-handling.js';
import type { Event } from '../../../libs/event-store/event-store.port.js';
import { conflict } from '../../../libs/http/domain-error.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

export const invoiceStream = (companyId: string, invoiceId: string) => `invoice-${companyId}-${invoiceId}`;
/** Numbers are gap-free per company: `InvoiceNumberAssigned` goes to the company's payables stream (domain/payables.ts). */
export const invoiceNumber = (sequence: number) => `INV-${String(sequence).padStart(6, '0')}`;
/**
 * The invoice run's decision (see `decideInvoiceRun`). `invoice`: the invoice's `InvoiceGenerated` data, carried where the
 * store writes streams one by one (EventStoreDB), so any later attempt can write the invoice stream a crash left missing
 * (`InvoiceCompletionReactor`); absent where the invoice is appended in the same transaction (Postgres), and on older events.
 */
export type InvoiceNumberAssigned = {
  type: 'InvoiceNumberAssigned';
  data: { companyId: string; invoiceId: string; partnerId: string; sequence: number; number: string; invoice?: InvoiceGenerated['data'] };
};

export type InvoiceStatus = 'pending_approval' | 'approved' | 'processing' | 'paid' | 'payment_failed' | 'void';

export interface InvoiceLine {
  commissionId: string;
  amount: number;
  currency: string;
  fxRate: string | null;
  fxRateId: string | null;
  fxAsOf: string | null;
  fxSource: string | null;
  /** True when the rate is quoted invoice currency → line currency and the amount was divided by it. */
  fxInverted: boolean | null;
  convertedAmount: number;
}

/**
 * A line as `InvoiceGenerated` records it. A line in the invoice currency is `{commissionId, amount, currency}`
 * (converted amount = amount, no rate); a converted line adds `convertedAmount`, and the rate it used is the
 * invoice's `fx[currency]` (one rate per currency and run). Events written before lines were compacted hold full
 * `InvoiceLine`s (they have `fxRate`). `expandLines` gives the full form either way.
 */
export type RecordedLine = InvoiceLine | { commissionId: string; amount: number; currency: string; convertedAmount?: number };
export interface LineFx {
  rate: string;
  rateId: string;
  asOf: string;
  source: string;
  inverted: boolean;
}
export type LineFxByCurrency = Record<string, LineFx>;
export type InvoiceCarry = { in: number; out: number };

export type InvoiceGenerated = {
  type: 'InvoiceGenerated';
  data: {
    invoiceId: string;
    companyId: string;
    partnerId: string;
    number: string;
    sequence: number;
    currency: string;
    total: number;
    lines: RecordedLine[];
    /** Rates of the converted lines by line currency; absent when no line was converted. */
    fx?: LineFxByCurrency;
    /** Rounding carried in from earlier invoices and out to the next, in the invoice currency: total = Σ converted + in − out. */
    carry?: InvoiceCarry;
    /** `clawback`: a statement of what the partner owes (negative total), settled by mark-paid with the repayment's reference. */
    kind?: 'clawback';
    periodStart: string;
    periodEnd: string;
  };
};

/** The id of an event the invoice run writes to `streamId` for the invoice: the same from every attempt, so it is written once. */
export const invoiceRunEventId = (invoiceId: string, streamId: string) => commandEventId(`invoice-run:${invoiceId}`, streamId, 'no_stream', 0);

/**
 * The invoice stream's first append, derived from the assignment that decided it (the run's own write, or a completion
 * after a crash): `no_stream` with a deterministic id, so writing it again is a no-op.
 */
export function invoiceGeneratedAppend(invoice: InvoiceGenerated['data']): {
  streamId: string;
  events: (InvoiceGenerated & { id: string })[];
  expectedVersion: 'no_stream';
} {
  const streamId = invoiceStream(invoice.companyId, invoice.invoiceId);
  return { streamId, events: [{ type: 'InvoiceGenerated', data: invoice, id: invoiceRunEventId(invoice.invoiceId, streamId) }], expectedVersion: 'no_stream' };
}

const isFull = (l: RecordedLine): l is InvoiceLine => 'fxRate' in l;

/** Full lines, in the order and key order of `InvoiceLine`, from either recorded form. */
export function expandLines(currency: string, lines: readonly RecordedLine[], fx: LineFxByCurrency | undefined): InvoiceLine[] {
  return lines.map((l): InvoiceLine => {
    if (isFull(l)) return l;
    if (l.convertedAmount === undefined) {
      if (l.currency !== currency) throw new Error(`line ${l.commissionId} in ${l.currency} has no converted amount in ${currency}`);
      return {
        commissionId: l.commissionId,
        amount: l.amount,
        currency: l.currency,
        fxRate: null,
        fxRateId: null,
        fxAsOf: null,
        fxSource: null,
        fxInverted: null,
        convertedAmount: l.amount,
      };
    }
    const rate = fx?.[l.currency];
    if (!rate) throw new Error(`line ${l.commissionId} in ${l.currency} has no recorded rate`);
    return {
      commissionId: l.commissionId,
      amount: l.amount,
      currency: l.currency,
      fxRate: rate.rate,
      fxRateId: rate.rateId,
      fxAsOf: rate.asOf,
      fxSource: rate.source,
      fxInverted: rate.inverted,
      convertedAmount: l.convertedAmount,
    };
  });
}
/**
 * `bankDetails`: the partner's bank details when the invoice was approved (encrypted, and masked for the audit trail):
 * the invoice document shows these, so changing them later cannot redirect an approved payout. Absent on older events.
 */
export type InvoiceApproved = {
  type: 'InvoiceApproved';
  data: { invoiceId: string; companyId: string; partnerId: string; bankDetails?: ApprovedBankDetails | null };
};
export type ApprovedBankDetails = { encrypted: string; masked: Record<string, string> };
/** `attempt` numbers Pay attempts; the Stripe idempotency key is derived from invoice id + attempt. */
export type InvoicePaymentStarted = {
  type: 'InvoicePaymentStarted';
  data: { invoiceId: string; companyId: string; partnerId: string; attempt: number; idempotencyKey: string };
};
export type InvoicePaymentIntentCreated = {
  type: 'InvoicePaymentIntentCreated';
  data: { invoiceId: string; companyId: string; attempt: number; paymentIntentId: string };
};
export type InvoicePaid = {
  type: 'InvoicePaid';
  data: {
    invoiceId: string;
    companyId: string;
    partnerId: string;
    method: 'stripe' | 'manual';
    reference: string | null;
    paymentIntentId: string | null;
    paidAt: string;
  };
};
export type InvoicePaymentFailed = {
  type: 'InvoicePaymentFailed';
  data: { invoiceId: string; companyId: string; attempt: number; paymentIntentId: string | null; reason: string; code: string | null };
};
/** `cause` is set when a reversal of one of its commissions voided it (`reversedCommissionId`); absent for an admin's void. */
export type InvoiceVoided = {
  type: 'InvoiceVoided';
  data: { invoiceId: string; companyId: string; partnerId: string; commissionIds: string[]; cause?: 'commission_reversed'; reversedCommissionId?: string };
};
export type InvoiceEvent =
  InvoiceGenerated | InvoiceApproved | InvoicePaymentStarted | InvoicePaymentIntentCreated | InvoicePaid | InvoicePaymentFailed | InvoiceVoided;

export interface InvoiceState {
  exists: boolean;
  status: InvoiceStatus;
  partnerId: string;
  currency: string;
  total: number;
  commissionIds: string[];
  attempt: number;
  paymentIntentId: string | null;
  periodEnd: string;
}

export const initialInvoice: InvoiceState = {
  exists: false,
  status: 'pending_approval',
  partnerId: '',
  currency: '',
  total: 0,
  commissionIds: [],
  attempt: 0,
  paymentIntentId: null,
  periodEnd: '',
};

const isInvoiceEvent = isEventOf<InvoiceEvent>()(
  'InvoiceGenerated',
  'InvoiceApproved',
  'InvoicePaymentStarted',
  'InvoicePaymentIntentCreated',
  'InvoicePaid',
  'InvoicePaymentFailed',
  'InvoiceVoided',
);

export function evolveInvoice(state: InvoiceState, e: Event): InvoiceState {
  if (!isInvoiceEvent(e)) return state;
  switch (e.type) {
    case 'InvoiceGenerated':
      return {
        ...initialInvoice,
        exists: true,
        partnerId: e.data.partnerId,
        currency: e.data.currency,
        total: e.data.total,
        commissionIds: e.data.lines.map((l) => l.commissionId),
        periodEnd: e.data.periodEnd,
      };
    case 'InvoiceApproved':
      return { ...state, status: 'approved' };
    case 'InvoicePaymentStarted':
      return { ...state, status: 'processing', attempt: e.data.attempt, paymentIntentId: null };
    case 'InvoicePaymentIntentCreated':
      return { ...state, paymentIntentId: e.data.paymentIntentId };
    case 'InvoicePaid':
      return { ...state, status: 'paid', paymentIntentId: e.data.paymentIntentId ?? state.paymentIntentId };
    case 'InvoicePaymentFailed':
      return { ...state, status: 'payment_failed' };
    case 'InvoiceVoided':
      return { ...state, status: 'void' };
    default:
      return state;
  }
}

const illegal = (state: InvoiceState, action: string) =>
  conflict('invalid_invoice_transition', `Cannot ${action} an invoice that is ${state.status}`, { currentStatus: state.status });

type Ids = { invoiceId: string; companyId: string };

export function decideApprove(state: InvoiceState, ids: Ids, bankDetails: ApprovedBankDetails | null = null): InvoiceApproved[] {
  if (state.status === 'approved') return [];
  if (state.status !== 'pending_approval') throw illegal(state, 'approve');
  return [{ type: 'InvoiceApproved', data: { ...ids, partnerId: state.partnerId, ...(bankDetails && { bankDetails }) } }];
}

/** Pay from `approved`, or again after a failed attempt; never while one is processing or after paid. */
export function decideStartPayment(state: InvoiceState, ids: Ids): InvoicePaymentStarted[] {
  if (state.status !== 'approved' && state.status !== 'payment_failed') throw illegal(state, 'pay');
  const attempt = state.attempt + 1;
  return [
    { type: 'InvoicePaymentStarted', data: { ...ids, partnerId: state.partnerId, attempt, idempotencyKey: `pf-invoice-${ids.invoiceId}-attempt-${attempt}` } },
  ];
}

export function decidePaymentSucceeded(state: InvoiceState, ids: Ids, paymentIntentId: string, paidAt: string): InvoicePaid[] {
  if (state.status === 'paid') return [];
  if (state.status !== 'processing' && state.status !== 'payment_failed') throw illegal(state, 'settle');
  return [{ type: 'InvoicePaid', data: { ...ids, partnerId: state.partnerId, method: 'stripe', reference: null, paymentIntentId, paidAt } }];
}

export function decidePaymentFailed(
  state: InvoiceState,
  ids: Ids,
  attempt: number,
  paymentIntentId: string | null,
  reason: string,
  code: string | null,
): InvoicePaymentFailed[] {
  if (state.status !== 'processing' || attempt !== state.attempt) return [];
  return [{ type: 'InvoicePaymentFailed', data: { ...ids, attempt, paymentIntentId, reason, code } }];
}

export function decideMarkPaid(state: InvoiceState, ids: Ids, reference: string, paidAt: string): InvoicePaid[] {
  if (state.status !== 'approved' && state.status !== 'payment_failed') throw illegal(state, 'mark as paid');
  return [{ type: 'InvoicePaid', data: { ...ids, partnerId: state.partnerId, method: 'manual', reference, paymentIntentId: null, paidAt } }];
}

export function decideVoid(state: InvoiceState, ids: Ids): InvoiceVoided[] {
  if (state.status === 'void') return [];
  if (state.status !== 'pending_approval' && state.status !== 'approved' && state.status !== 'payment_failed') throw illegal(state, 'void');
  return [{ type: 'InvoiceVoided', data: { ...ids, partnerId: state.partnerId, commissionIds: state.commissionIds } }];
}

/**
 * A commission of this invoice is reversed (refund, lost dispute, revoked by its plan). An invoice nobody can have paid
 * yet (pending approval, approved, payment failed) is voided, so its total can never be paid with the reversed amount in
 * it; the commissions return to payable, the reversal reduces its commission there and the invoice is generated again.
 * Null when a payment is in flight or done (`processing`, `paid`): the reversal is then carried to the next invoice.
 */
export function decideVoidOnReversal(state: InvoiceState, ids: Ids, commissionId: string): InvoiceVoided | null {
  if (state.status !== 'pending_approval' && state.status !== 'approved' && state.status !== 'payment_failed') return null;
  return {
    type: 'InvoiceVoided',
    data: { ...ids, partnerId: state.partnerId, commissionIds: state.commissionIds, cause: 'commission_reversed', reversedCommissionId: commissionId },
  };
}
