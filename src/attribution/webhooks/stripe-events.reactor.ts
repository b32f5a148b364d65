import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { compareCheckpoints, type RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { readSql } from '../../../libs/database/sql.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import type { SubscriptionRunner } from '../../../libs/event-store/subscription-runner.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { LOGGER, ORM, RUNNER } from '../../core/tokens.js';
import type { StripeEventReceived } from '../domain/stripe-event.js';
import { checkoutLinkFromStripeEvent, paymentFromStripeEvent, reversalFromStripeEvent } from '../domain/stripe-mapping.js';
import { RecordPayment } from '../commands/record-payment/record-payment.handler.js';
import { RecordReversal } from '../commands/record-reversal/record-reversal.handler.js';
import { LinkCheckoutSession } from '../commands/link-checkout/link-checkout.handler.js';

const PAYMENTS = new Set(['invoice.paid', 'charge.succeeded']);
const REVERSALS = new Set(['charge.refunded', 'charge.dispute.closed']);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
/** An id field, plain or expanded into its object (as in stripe-mapping). */
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v)?.id);

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
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Leads created before the Stripe event was stored must be visible to the email lookups: the commands
   * call this before one (most payments find their lead through the customer's claim and need none). Checked
   * without waking every subscriber (waitFor nudges them all), since the leads projection is usually ahead.
   */
  private async leadsVisible(checkpoint: string): Promise<void> {
    const [row] = await readSql(this.orm).query<{ checkpoint: string; status: string }>(`select checkpoint, status from es_checkpoints where name = 'leads'`);
    if (row && (row.status === 'failed' || compareCheckpoints(row.checkpoint, checkpoint) >= 0)) return;
    await this.runner.waitFor(checkpoint, 5_000, ['leads']);
  }

  /**
   * Events of one Stripe customer of one company in log order, other customers concurrently. A customer's
   * payments, refunds (the charge names its customer) and checkout links share a key, so they keep their
   * order. Events naming no customer (guest charges, disputes) share the company's key. What can still run
   * side by side only meets on streams appended at the version read (payment references, customer claims,
   * leads), so whichever commits second re-reads and decides again, as with any arrival order.
   */
  partitionKey(recorded: RecordedEvent): string | undefined {
    if (recorded.type !== 'StripeEventReceived') return undefined;
    const { companyId, event } = (recorded as unknown as StripeEventReceived).data;
    const object = obj(obj(obj(event)?.data)?.object);
    const customer = idOf(object?.customer) ?? idOf(obj(object?.charge)?.customer);
    return customer ? `${companyId}:${customer}` : companyId;
  }

  async react(recorded: RecordedEvent): Promise<void> {
    if (recorded.type !== 'StripeEventReceived') return;
    const { companyId, eventType, eventId, event } = (recorded as unknown as StripeEventReceived).data;
    const skip = (reason: string) => this.log.info({ companyId, eventId, eventType, reason }, 'stripe event skipped');

    if (PAYMENTS.has(eventType)) {
      const m = paymentFromStripeEvent(companyId, event);
      if (m.kind === 'ignored') return skip(m.reason);
      await this.commands.execute(new RecordPayment(m.facts, m.refs, () => this.leadsVisible(recorded.checkpoint)));
    } else if (REVERSALS.has(eventType)) {
      const m = reversalFromStripeEvent(event);
      if (m.kind === 'ignored') return skip(m.reason);
      if (m.refs.length === 0) return skip('reversal without charge or payment intent id');
      await this.commands.execute(new RecordReversal(companyId, m.reversal, m.refs));
    } else if (eventType === 'checkout.session.completed') {
      const m = checkoutLinkFromStripeEvent(event);
      if (m.kind === 'ignored') return skip(m.reason);
      await this.commands.execute(new LinkCheckoutSession(companyId, m.sessionId, m.reference, m.customerId, m.email, () => this.leadsVisible(recorded.checkpoint)));
    }
  }
}
