import { Injectable } from '@nestjs/common';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import type { StripeFeeSetting } from '../../../../libs/config/stripe-settings.js';
import { conflict } from '../../../../libs/http/domain-error.js';
import { decidePaymentFailed, evolveInvoice, initialInvoice, invoiceStream, type InvoiceState } from '../../domain/invoice.js';
import {
  decideIntentOutcome,
  decideStartPayout,
  failureCode,
  failureReason,
  type IntentSnapshot,
  type PaymentFailure,
  type PayoutAttemptPrepared,
  type PayoutPrerequisites,
  type PreparedAttempt,
} from '../../domain/invoice-payment.js';
import { isEventOf } from '../../../../libs/event-store/aggregate.js';

export type AttemptKey = { companyId: string; invoiceId: string; attempt: number };
export type OpenedInvoice = { state: InvoiceState; version: number };

/**
 * The invoice stream's side of Pay (the payouts module calls Stripe; the invoice stream is this module's): the attempt
 * started at the version Pay read (the double-pay guard: one of many concurrent calls wins, and the attempt's key is
 * durable before any charge), and Stripe's answers recorded. One append per step.
 */
@Injectable()
export class InvoicePayments {
  constructor(private readonly es: EventSourcing) {}

  /** The invoice's state and the version Pay decides at. */
  open(companyId: string, invoiceId: string): Promise<OpenedInvoice> {
    return this.es.load(invoiceStream(companyId, invoiceId), initialInvoice, evolveInvoice);
  }

  /**
   * `InvoicePaymentStarted` and `PayoutAttemptPrepared` in one append at `opened.version`; the decision's refusals are
   * thrown before anything is appended, and another request having changed the invoice first is a 409 naming its status.
   */
  async start(
    ids: { companyId: string; invoiceId: string },
    opened: OpenedInvoice,
    pre: PayoutPrerequisites,
    fees: StripeFeeSetting,
  ): Promise<PreparedAttempt> {
    const decision = decideStartPayout(opened.state, { invoiceId: ids.invoiceId, companyId: ids.companyId }, pre, fees);
    try {
      await this.es.append(invoiceStream(ids.companyId, ids.invoiceId), decision.events, opened.version);
    } catch (e) {
      if (!(e instanceof WrongExpectedVersion)) throw e;
      const { status, attempt } = (await this.open(ids.companyId, ids.invoiceId)).state;
      const code = status === 'processing' ? 'payment_in_progress' : 'invalid_invoice_transition';
      throw conflict(code, `Another request changed this invoice first; it is now ${status}`, { currentStatus: status, attempt });
    }
    return decision.attempt;
  }

  /** The attempt as prepared (what every resend sends) and when it started. */
  async attempt(key: AttemptKey): Promise<{ attempt: PreparedAttempt; startedAt: Date } | undefined> {
    const events = await this.es.store.readStream(invoiceStream(key.companyId, key.invoiceId));
    const prepared = events.filter(isEventOf<PayoutAttemptPrepared>()('PayoutAttemptPrepared')).find((e) => e.data.attempt === key.attempt);
    return prepared && { attempt: prepared.data, startedAt: prepared.occurredAt };
  }

  /** Applies a PaymentIntent (from the create answer or a webhook) to its attempt; answers the checkpoint of what it appended. */
  async recordIntent(key: AttemptKey, intent: IntentSnapshot, at: Date): Promise<string | undefined> {
    const ids = { invoiceId: key.invoiceId, companyId: key.companyId };
    const { checkpoint } = await this.es.execute(invoiceStream(key.companyId, key.invoiceId), initialInvoice, evolveInvoice, (state) => ({
      events: state.exists ? decideIntentOutcome(state, ids, key.attempt, intent, at.toISOString()) : [],
    }));
    return checkpoint;
  }

  /** Stripe refused the request itself (no PaymentIntent exists), so nothing was charged. */
  async recordRefusal(a: PreparedAttempt, failure: PaymentFailure): Promise<string | undefined> {
    const ids = { invoiceId: a.invoiceId, companyId: a.companyId };
    const { checkpoint } = await this.es.execute(invoiceStream(a.companyId, a.invoiceId), initialInvoice, evolveInvoice, (state) => ({
      events: decidePaymentFailed(state, ids, a.attempt, null, failureReason(failure), failureCode(failure)),
    }));
    return checkpoint;
  }
}
