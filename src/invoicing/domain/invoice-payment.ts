import type { StripeFeeSetting } from '../../../libs/config/stripe-settings.js';
import { conflict, DomainError } from '../../../libs/http/domain-error.js';
import { grossUp, money, percentOf } from '../../../libs/money/index.js';
import { chargeIncrement, minimumCharge } from '../../../libs/stripe/amount-rules.js';
import {
  decidePaymentFailed,
  decidePaymentSucceeded,
  decideStartPayment,
  type InvoiceEvent,
  type InvoicePaymentStarted,
  type InvoiceState,
} from './invoice.js';

/*
 * Paying an invoice through Stripe (the payouts module's Pay, which calls Stripe): what is appended to the invoice
 * stream when an attempt starts, and what Stripe's answer records on it.
 */

/**
 * Who bore Stripe's fee on an attempt. `company`: the charge was grossed up so that, after `percent`% of it plus
 * `fixed`, `transferAmount` (the invoice total) is left (then up to Stripe's charge increment for the currency);
 * `estimatedFee` is that fee on the charge, so charge − estimatedFee − transferAmount is what the platform keeps (0, a
 * minor unit of rounding, or the increment's rest). Re-derivable with libs/money grossUp and libs/stripe amount-rules.
 */
export type AttemptFee = { payer: 'platform' } | { payer: 'company'; percent: string; fixed: number; estimatedFee: number };

/**
 * Appended to the invoice stream with InvoicePaymentStarted, in one append (atomic on every store): it freezes
 * what is sent to Stripe, so every resend of the attempt is identical and Stripe's idempotency replays it.
 * `amount` is the charge. `transferAmount`, `paymentMethodTypes` and `fee` are absent from attempts prepared before
 * they existed, which are resent without them.
 */
export type PayoutAttemptPrepared = {
  type: 'PayoutAttemptPrepared';
  data: {
    companyId: string;
    invoiceId: string;
    partnerId: string;
    attempt: number;
    idempotencyKey: string;
    amount: number;
    currency: string;
    customerId: string;
    paymentMethodId: string;
    destinationAccountId: string;
    transferAmount?: number;
    paymentMethodTypes?: ['card'];
    fee?: AttemptFee;
  };
};
export type PreparedAttempt = PayoutAttemptPrepared['data'];

export interface PayoutPrerequisites {
  customerId: string | null;
  paymentMethodId: string | null;
  /** What to tell the admin when there is no card (which may name a saved payment method Pay cannot charge). */
  missingCard?: string;
  accountId: string | null;
  payoutsEnabled: boolean;
  /** The account's `transfers` capability is active: a destination charge needs it. */
  transfersActive: boolean;
}

/** The charge of an invoice total under the operator's fee setting (STRIPE_FEE_PAYER). */
export function payoutCharge(total: number, currency: string, fees: StripeFeeSetting): { amount: number; transferAmount: number; fee: AttemptFee } {
  if (fees.payer === 'platform') return { amount: total, transferAmount: total, fee: { payer: 'platform' } };
  const fixed = fees.fixed[currency];
  if (fixed === undefined) {
    throw new DomainError(
      422,
      'fee_not_configured',
      `The company bears Stripe's fee, but STRIPE_FEE_FIXED has no fixed fee for ${currency}: the operator must add ${currency}:<minor units> (0 if none)`,
      { currency },
    );
  }
  const { gross } = grossUp(money(total, currency), fees.percent, money(fixed, currency));
  // Stripe charges some currencies only in multiples of an increment (isk, ugx, three-decimal ones): up to the next one.
  const increment = chargeIncrement(currency);
  const amount = gross.amount + ((increment - (gross.amount % increment)) % increment);
  const estimatedFee = percentOf(money(amount, currency), fees.percent).amount + fixed;
  return { amount, transferAmount: total, fee: { payer: 'company', percent: fees.percent, fixed, estimatedFee } };
}

const missing = (code: string, message: string) => conflict(code, message, { fix: message });

/**
 * Stripe refuses a charge that is not a multiple of the currency's increment or below its minimum, on every retry: such
 * an invoice is refused before anything is sent, saying why (invoices made since totals are rounded to the increment).
 */
function refuseUnchargeable(total: number, currency: string): void {
  const increment = chargeIncrement(currency);
  if (total % increment !== 0) {
    throw new DomainError(
      422,
      'amount_not_chargeable',
      `Stripe charges ${currency} only in multiples of ${increment} minor units and the total is ${total}: void the invoice so the next run rounds it (the remainder is carried), or mark it as paid outside`,
      { increment },
    );
  }
  const minimum = minimumCharge(currency);
  if (minimum !== null && total < minimum) {
    throw new DomainError(
      422,
      'amount_below_stripe_minimum',
      `Stripe's minimum charge in ${currency} is ${minimum} minor units and the total is ${total}: mark the invoice as paid if it was paid outside, or void it so its commissions roll over to a larger invoice`,
      { minimum },
    );
  }
}

/** Pay: status first (409 naming it), then what the payment needs; nothing is appended unless all hold. */
export function decideStartPayout(
  invoice: InvoiceState,
  ids: { invoiceId: string; companyId: string },
  pre: PayoutPrerequisites,
  fees: StripeFeeSetting,
): { events: [InvoicePaymentStarted, PayoutAttemptPrepared]; attempt: PreparedAttempt } {
  const [started] = decideStartPayment(invoice, ids);
  if (invoice.total <= 0)
    throw new DomainError(
      422,
      'nothing_to_pay',
      `The invoice total is ${invoice.total}; only a positive total can be paid through Stripe (mark it as paid instead)`,
    );
  refuseUnchargeable(invoice.total, invoice.currency);
  if (!pre.customerId || !pre.paymentMethodId)
    throw missing(
      'company_card_missing',
      pre.missingCard ?? 'The company has no payment card: add one in Payment Settings (POST /v1/company/payment-method/setup-intent)',
    );
  if (!pre.accountId)
    throw missing(
      'partner_account_missing',
      'The partner has no Stripe account: the partner must start onboarding in the portal (POST /v1/portal/stripe/onboarding-link)',
    );
  if (!pre.payoutsEnabled)
    throw missing('partner_payouts_disabled', 'Payouts are not enabled on the partner’s Stripe account: the partner must finish Stripe onboarding');
  if (!pre.transfersActive)
    throw missing(
      'partner_transfers_inactive',
      'The partner’s Stripe account cannot receive transfers (its transfers capability is not active): the partner must finish Stripe onboarding',
    );
  const charge = payoutCharge(invoice.total, invoice.currency, fees);
  const attempt: PreparedAttempt = {
    ...ids,
    partnerId: invoice.partnerId,
    attempt: started!.data.attempt,
    idempotencyKey: started!.data.idempotencyKey,
    amount: charge.amount,
    currency: invoice.currency,
    customerId: pre.customerId,
    paymentMethodId: pre.paymentMethodId,
    destinationAccountId: pre.accountId,
    transferAmount: charge.transferAmount,
    paymentMethodTypes: ['card'],
    fee: charge.fee,
  };
  return { events: [started!, { type: 'PayoutAttemptPrepared', data: attempt }], attempt };
}

export interface PaymentFailure {
  code: string | null;
  declineCode: string | null;
  message: string | null;
}

/** What the admin reads on the invoice: the cause and the fix. */
export function failureReason(f: PaymentFailure): string {
  if (f.code === 'authentication_required' || f.declineCode === 'authentication_required') {
    return 'The card requires authentication (3-D Secure), which cannot happen off-session: ask the company to add a card that can be charged without it in Payment Settings, then pay again.';
  }
  if (f.code === 'card_declined' || f.code === 'expired_card' || f.code === 'incorrect_cvc' || f.code === 'processing_error' || f.declineCode) {
    return `The card was declined (${f.declineCode ?? f.code}): ask the company to update its card in Payment Settings, then pay again.`;
  }
  if (f.code === 'insufficient_capabilities_for_transfer') {
    return 'The partner’s Stripe account cannot receive transfers yet: ask the partner to finish Stripe onboarding, then pay again.';
  }
  return `Stripe refused the payment (${f.code ?? 'unknown'}): ${f.message ?? 'no message'}. Fix the cause, then pay again.`;
}

export const failureCode = (f: PaymentFailure): string | null => f.declineCode ?? f.code;

/** What matters of a PaymentIntent, whether it came back from the create call or in a webhook. */
export interface IntentSnapshot {
  id: string;
  status: string;
  failure: PaymentFailure | null;
}

/**
 * Records an attempt's PaymentIntent and, once Stripe has decided, its outcome. Events about an
 * older attempt, or repeated ones, change nothing.
 */
export function decideIntentOutcome(
  state: InvoiceState,
  ids: { invoiceId: string; companyId: string },
  attempt: number,
  intent: IntentSnapshot,
  at: string,
): InvoiceEvent[] {
  if (state.attempt !== attempt || state.status !== 'processing') return [];
  const events: InvoiceEvent[] = [];
  if (state.paymentIntentId !== intent.id) events.push({ type: 'InvoicePaymentIntentCreated', data: { ...ids, attempt, paymentIntentId: intent.id } });
  if (intent.status === 'succeeded') return [...events, ...decidePaymentSucceeded(state, ids, intent.id, at)];
  const failure = failureOf(intent);
  return failure ? [...events, ...decidePaymentFailed(state, ids, attempt, intent.id, failureReason(failure), failureCode(failure))] : events;
}

function failureOf(intent: IntentSnapshot): PaymentFailure | null {
  if (intent.status === 'requires_action') return { code: 'authentication_required', declineCode: null, message: null };
  if (intent.status === 'canceled') return { code: 'payment_intent_canceled', declineCode: null, message: 'The PaymentIntent was canceled' };
  if (intent.status === 'requires_payment_method' && intent.failure) return intent.failure;
  return null;
}
