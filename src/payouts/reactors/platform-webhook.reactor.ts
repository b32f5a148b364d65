import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { EventSourcing } from '../../core/event-sourcing.service.js';
import { LOGGER } from '../../core/tokens.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { PLATFORM_STRIPE } from '../../../libs/stripe/stripe-client.js';
import { isTransientStripeError, withStripeRetries } from '../../../libs/stripe/retry.js';
import { CommandBus } from '@nestjs/cqrs';
import { CompanyBillingQuery, RecordCompanyPaymentMethod } from '../../companies/index.js';
import { RecordStripeAccountStatus, stripeAccountHolder } from '../../partners/index.js';
import { accountStatusOf } from '../domain/connect.js';
import { intentSnapshot } from '../domain/payout-attempt.js';
import type { PlatformWebhookReceived } from '../domain/platform-webhook.js';
import { InvoicePayments } from '../../invoicing/index.js';

type Received = PlatformWebhookReceived['data'];
/** The stored object of a `payment_intent.*` event (untrusted JSON) as the PaymentIntent it says it is. */
const isPaymentIntent = (o: Record<string, unknown>): o is Record<string, unknown> & Stripe.PaymentIntent => o.object === 'payment_intent';
type Obj = Record<string, any>;

/** Processes stored platform events. Every step is an idempotent decide, so a replay changes nothing. */
@Injectable()
export class PlatformWebhookReactor implements Reactor {
  readonly name = 'payouts_platform_webhooks';

  constructor(
    private readonly es: EventSourcing,
    private readonly payments: InvoicePayments,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly commands: CommandBus,
    private readonly billing: CompanyBillingQuery,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    if (event.type !== 'PlatformWebhookReceived') return;
    const d = event.data as Received;
    switch (d.eventType) {
      case 'account.updated':
        return this.accountUpdated(d);
      case 'setup_intent.succeeded':
        return this.setupIntentSucceeded(d);
      case 'payment_intent.succeeded':
      case 'payment_intent.payment_failed':
        return this.paymentIntent(d);
    }
  }

  private async accountUpdated(d: Received): Promise<void> {
    const account = d.object as Obj;
    // The claim is the index; the metadata set at creation covers a claim lost between two non-atomic appends (EventStoreDB).
    const owner = (await stripeAccountHolder(this.es.store, String(account.id))) ?? account.metadata;
    if (typeof owner?.companyId !== 'string' || typeof owner.partnerId !== 'string')
      return this.log.info({ eventId: d.eventId, account: account.id }, 'account.updated for an account no partner holds; ignored');
    const ids = { companyId: owner.companyId, partnerId: owner.partnerId };
    const status = accountStatusOf(account, { source: 'webhook', stripeEventId: d.eventId, at: d.created });
    await this.commands.execute(new RecordStripeAccountStatus(ids.companyId, ids.partnerId, status));
  }

  private async setupIntentSucceeded(d: Received): Promise<void> {
    const intent = d.object as Obj;
    const claimed = typeof intent.customer === 'string' ? await this.billing.companyOfPlatformCustomer(intent.customer) : null;
    const companyId = claimed ?? intent.metadata?.companyId;
    if (typeof companyId !== 'string' || typeof intent.payment_method !== 'string')
      return this.log.info({ eventId: d.eventId }, 'setup_intent.succeeded for no known company; ignored');
    const pm = await this.retrieveMethod(intent.payment_method, d.eventId);
    if (!pm) return;
    const seen = { customerId: String(intent.customer), paymentMethodId: pm.id, setupIntentId: String(intent.id), stripeEventCreated: d.created };
    await this.commands.execute(
      new RecordCompanyPaymentMethod(
        companyId,
        pm.card ? { kind: 'card', ...seen, brand: pm.card.brand, last4: pm.card.last4 } : { kind: 'refused', ...seen, paymentMethodType: pm.type },
      ),
    );
    if (!pm.card)
      this.log.warn({ eventId: d.eventId, companyId, type: pm.type }, 'the saved payment method is not a card: recorded as refused, Pay still needs a card');
  }

  /** Transient failures throw (the runner retries the event); a refusal is logged and skipped. */
  private async retrieveMethod(id: string, eventId: string): Promise<Stripe.PaymentMethod | undefined> {
    try {
      return await withStripeRetries(() => this.stripe.paymentMethods.retrieve(id));
    } catch (e) {
      if (isTransientStripeError(e) || !(e instanceof Stripe.errors.StripeError)) throw e;
      this.log.warn({ eventId, paymentMethod: id, err: e.message }, 'Stripe refused to show the saved payment method; ignored');
    }
    return undefined;
  }

  private async paymentIntent(d: Received): Promise<void> {
    const pi = d.object;
    const { invoiceId, companyId, attempt } = (isPaymentIntent(pi) && pi.metadata) || {};
    if (!isPaymentIntent(pi) || !invoiceId || !companyId || !/^\d+$/.test(attempt ?? ''))
      return this.log.info({ eventId: d.eventId, paymentIntent: pi.id }, 'PaymentIntent not made by Pay; ignored');
    await this.payments.recordIntent({ companyId, invoiceId, attempt: Number(attempt) }, intentSnapshot(pi), new Date(d.created * 1000));
  }
}
