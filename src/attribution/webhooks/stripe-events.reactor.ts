import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { allReached } from '../../../libs/event-store/checkpoint-store.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import type { SubscriptionRunner } from '../../../libs/event-store/subscription-runner.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { LOGGER, RUNNER } from '../../core/tokens.js';
import type { StripeEventReceived } from '../domain/stripe-event.js';
import {
  checkoutLinkFromStripeEvent,
  customerMetadataFromStripeEvent,
  customerOfStripeEvent,
  invoicePaymentFromStripeEvent,
  paymentFromStripeEvent,
  reversalFromStripeEvent,
  type InvoiceLookup,
} from '../domain/stripe-mapping.js';
import { evolvePaymentRef, initialPaymentRef, paymentRefStream } from '../domain/payment-ref.js';
import { RecordPayment } from '../commands/record-payment/record-payment.handler.js';
import { RecordReversal } from '../commands/record-reversal/record-reversal.handler.js';
import { RecordCustomerMetadata } from '../commands/record-customer-metadata/record-customer-metadata.handler.js';
import { LinkCheckoutSession } from '../commands/link-checkout/link-checkout.handler.js';
import { LinkPaymentReferences, type LinkPaymentReferencesResult } from '../commands/link-payment-references/link-payment-references.handler.js';
import { EventSourcing } from '../../core/event-sourcing.service.js';
import { InvoicePaymentLookup } from './invoice-payment-lookup.js';
import { PromotionCodeLookup } from './promotion-code-lookup.js';
import { CustomerMetadataLookup } from './customer-metadata-lookup.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

const PAYMENTS = new Set(['invoice.paid', 'charge.succeeded', 'charge.captured']);
const REVERSALS = new Set(['charge.refunded', 'charge.expired', 'charge.dispute.closed']);
const isStripeEventReceived = isEventOf<StripeEventReceived>()('StripeEventReceived');

/**
 * Turns stored Stripe events into payments, links and reversals. Every command it calls is
 * idempotent and order-independent, so replays and any arrival order give the same state.
 * Payloads it cannot use are logged and skipped: one odd event must not stop attribution.
 */
@Injectable()
export class StripeEventsReactor implements Reactor {
  readonly name = 'attribution_stripe_events';
  readonly concurrency = 8;

  constructor(
    private readonly commands: CommandBus,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly es: EventSourcing,
    private readonly invoices: InvoicePaymentLookup,
    private readonly promotions: PromotionCodeLookup,
    private readonly customers: CustomerMetadataLookup,
  ) {}

  /** The payment one of these Stripe ids already belongs to, if any. */
  private async owner(companyId: string, refs: string[]): Promise<string | null> {
    const states = await Promise.all(refs.map((ref) => this.es.load(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)));
    return states.find((s) => s.state.paymentId)?.state.paymentId ?? null;
  }

  /**
   * A charge (or dispute) of API ≥ 2025-03-31 whose ids no payment knows: ask Stripe, with the company's key, which
   * invoice its payment intent paid, and link its ids to that invoice's payment. Answers the invoice, or null.
   */
  private async linkByLookup(
    companyId: string,
    eventId: string,
    eventType: string,
    lookup: InvoiceLookup,
    refs: string[],
  ): Promise<LinkPaymentReferencesResult | null> {
    const found = await this.invoices.invoiceOfPaymentIntent(companyId, lookup.paymentIntentId);
    if (found.kind === 'api_key_rejected')
      this.log.warn(
        { companyId, eventId, eventType, reason: found.message },
        'stripe rejected the company API key: invoice of the payment intent not looked up',
      );
    if (found.kind !== 'invoice') return null;
    const linked = await this.commands.execute<LinkPaymentReferences, LinkPaymentReferencesResult>(new LinkPaymentReferences(companyId, found.invoiceId, refs));
    this.log.info(
      { companyId, eventId, eventType, invoiceId: found.invoiceId, paymentId: linked.paymentId, refs },
      'charge linked to its invoice (invoice_payments lookup)',
    );
    this.warnForeign(companyId, eventId, linked);
    return linked;
  }

  private warnForeign(companyId: string, eventId: string, linked: LinkPaymentReferencesResult): void {
    if (linked.foreign.length === 0) return;
    this.log.warn(
      { companyId, eventId, paymentId: linked.paymentId, foreign: linked.foreign },
      'invoice payment names a charge already recorded as a standalone payment (before its invoice was known): both count; set the company API key or subscribe to invoice_payment.paid',
    );
  }

  /**
   * Leads created before the Stripe event was stored must be visible to the email lookups: the commands
   * call this before one (most payments find their lead through the customer's claim and need none). Checked
   * without waking every subscriber (waitFor nudges them all), since the leads projection is usually ahead.
   */
  private async leadsVisible(checkpoint: string): Promise<void> {
    const names = ['leads'];
    if (allReached(await this.runner.checkpoints.positions(names), names, checkpoint)) return;
    await this.runner.waitFor(checkpoint, 5_000, names);
  }

  /**
   * Events of one Stripe customer of one company in log order, other customers concurrently. A customer's
   * payments, refunds (the charge names its customer) and checkout links share a key, so they keep their
   * order. Events naming no customer (guest charges, disputes) share the company's key. What can still run
   * side by side only meets on streams appended at the version read (payment references, customer claims,
   * leads), so whichever commits second re-reads and decides again, as with any arrival order.
   */
  partitionKey(recorded: RecordedEvent): string | undefined {
    if (!isStripeEventReceived(recorded)) return undefined;
    const { companyId, event } = recorded.data;
    const customer = customerOfStripeEvent(event);
    return customer ? `${companyId}:${customer}` : companyId;
  }

  async react(recorded: RecordedEvent): Promise<void> {
    if (!isStripeEventReceived(recorded)) return;
    const { companyId, eventType, eventId, event } = recorded.data;
    const skip = (reason: string) => this.log.info({ companyId, eventId, eventType, reason }, 'stripe event skipped');

    if (PAYMENTS.has(eventType)) {
      const m = paymentFromStripeEvent(companyId, event);
      if (m.kind === 'ignored') return skip(m.reason);
      if (m.lookup) {
        // API ≥ 2025-03-31: the charge does not say whether it paid an invoice.
        const owner = await this.owner(companyId, m.refs);
        if (owner && owner !== m.facts.paymentId) return skip(`charge of payment ${owner} (linked by an invoice payment): not a payment of its own`);
        if (!owner && (await this.linkByLookup(companyId, eventId, eventType, m.lookup, m.refs)))
          return skip('charge of an invoice (invoice_payments lookup): recorded from invoice.paid');
        if (!owner) {
          this.log.warn(
            { companyId, eventId, eventType, chargeId: m.facts.chargeId, paymentIntentId: m.lookup.paymentIntentId },
            'charge without invoice property recorded as a standalone payment: if it paid an invoice it counts twice; set the company Stripe API key (invoice_payments read) or subscribe to invoice_payment.paid',
          );
        }
      }
      // Promotion codes in API ≥ 2025-03-31 invoices are Discount ids; partners may hold codes rather than ids.
      const promotionCodes =
        m.discountIds && m.facts.invoiceId ? await this.promotions.ofInvoice(companyId, m.facts.invoiceId) : (m.facts.promotionCodes ?? []);
      if (promotionCodes.length) m.facts.promotionCodes = await this.promotions.withCodes(companyId, promotionCodes);
      // SPEC §11: the customer's `partnerflow: "false"`, when the payload did not carry the customer.
      let customerChecked = true;
      if (m.customerLookup) {
        const found = await this.customers.exclusion(companyId, m.customerLookup);
        if (found.excluded) m.facts.commissionExcluded = found.excluded;
        customerChecked = found.checked;
      }
      const r = await this.commands.execute<RecordPayment, { recorded: boolean; referencedBy?: string }>(
        new RecordPayment(m.facts, m.refs, () => this.leadsVisible(recorded.checkpoint), { unlessReferenced: m.lookup !== undefined, customerChecked }),
      );
      if (r.referencedBy) return skip(`charge of payment ${r.referencedBy} (linked by an invoice payment): not a payment of its own`);
    } else if (eventType === 'invoice_payment.paid') {
      const m = invoicePaymentFromStripeEvent(companyId, event);
      if (m.kind === 'ignored') return skip(m.reason);
      const linked = await this.commands.execute<LinkPaymentReferences, LinkPaymentReferencesResult>(new LinkPaymentReferences(companyId, m.invoiceId, m.refs));
      this.warnForeign(companyId, eventId, linked);
    } else if (REVERSALS.has(eventType)) {
      const m = reversalFromStripeEvent(event);
      if (m.kind === 'ignored') return skip(m.reason);
      if (m.refs.length === 0) return skip('reversal without charge or payment intent id');
      // API ≥ 2025-03-31: a refund of an invoice's charge names no invoice; find it rather than park until invoice_payment.paid.
      if (m.lookup && !(await this.owner(companyId, m.refs))) await this.linkByLookup(companyId, eventId, eventType, m.lookup, m.refs);
      await this.commands.execute(new RecordReversal(companyId, m.reversal, m.refs));
    } else if (eventType === 'customer.created' || eventType === 'customer.updated') {
      const m = customerMetadataFromStripeEvent(event);
      if (m.kind === 'ignored') return skip(m.reason);
      await this.commands.execute(
        new RecordCustomerMetadata({ companyId, customerId: m.customerId, excluded: m.excluded, created: m.created, stripeEventId: m.stripeEventId }),
      );
    } else if (eventType === 'checkout.session.completed') {
      const m = checkoutLinkFromStripeEvent(event);
      if (m.kind === 'ignored') return skip(m.reason);
      const promotionCodes = await this.promotions.withCodes(companyId, m.promotionCodes);
      await this.commands.execute(
        new LinkCheckoutSession(companyId, m.sessionId, m.reference, m.buyer, m.email, () => this.leadsVisible(recorded.checkpoint), promotionCodes),
      );
    }
  }
}
