import type Stripe from 'stripe';
import { conflict } from '../../../libs/http/domain-error.js';
import type { InvoiceState, IntentSnapshot, PreparedAttempt } from '../../invoicing/index.js';

/**
 * A destination charge on the platform, confirmed server-side off-session: the company's card pays, the partner's
 * account receives. Limited to cards (`allowed_payment_method_types`, the pinned API version's name for
 * `payment_method_types`), since dynamic payment methods would need a `return_url` there is no page for. When the
 * company bears Stripe's fee the charge is grossed up and `transfer_data[amount]` is the invoice total.
 */
export function paymentIntentParams(a: PreparedAttempt): Stripe.PaymentIntentCreateParams {
  return {
    amount: a.amount,
    currency: a.currency,
    customer: a.customerId,
    payment_method: a.paymentMethodId,
    confirm: true,
    off_session: true,
    ...(a.paymentMethodTypes ? { allowed_payment_method_types: a.paymentMethodTypes } : {}),
    transfer_data: { destination: a.destinationAccountId, ...(a.fee?.payer === 'company' ? { amount: a.transferAmount } : {}) },
    metadata: { invoiceId: a.invoiceId, companyId: a.companyId, partnerId: a.partnerId, attempt: String(a.attempt) },
  };
}

/** Stripe's idempotency keys live at least 24 hours; past that a resend must look for the charge first. */
export const IDEMPOTENCY_WINDOW_MS = 23 * 60 * 60 * 1000;

/** Longer than one send can take (SDK timeout × its retries × ours), so an older open attempt is dead. */
export const RESUME_AFTER_MS = 5 * 60 * 1000;

/**
 * `pay` on a `processing` invoice: an attempt with no PaymentIntent that started more than
 * `resumeAfterMs` ago can no longer be in flight (its process died), so it is resent with its own key.
 */
export function decideResume(invoice: InvoiceState, startedAt: Date | null, now: Date, resumeAfterMs: number): 'resume' {
  const inProgress = () =>
    conflict('payment_in_progress', `A payment of this invoice is in progress (status processing, attempt ${invoice.attempt})`, {
      currentStatus: invoice.status,
      attempt: invoice.attempt,
    });
  if (invoice.status !== 'processing' || invoice.paymentIntentId || !startedAt) throw inProgress();
  if (now.getTime() - startedAt.getTime() < resumeAfterMs) throw inProgress();
  return 'resume';
}

export function intentSnapshot(pi: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'last_payment_error'>): IntentSnapshot {
  const e = pi.last_payment_error;
  return { id: pi.id, status: pi.status, failure: e ? { code: e.code ?? null, declineCode: e.decline_code ?? null, message: e.message ?? null } : null };
}
