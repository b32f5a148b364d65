import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';
import { CLOCK, ORM } from '../../../core/tokens.js';
import type { Clock } from '../../../../libs/event-store/command-handling.js';
import { WebhookSender, type ClaimedDelivery } from '../../jobs/webhook-sender/webhook-sender.job.js';

export class RetryWebhookDelivery {
  constructor(
    readonly companyId: string,
    readonly deliveryId: string,
  ) {}
}

/** How long a manual attempt holds the delivery against the background sender. */
const MANUAL_LEASE_MS = 60_000;

/**
 * One attempt now, whatever the delivery's status (a succeeded one is sent again, as Stripe's "Resend" does), with
 * the same event id and body. It leaves the automatic schedule as it was; a delivery in flight answers 409.
 */
@CommandHandler(RetryWebhookDelivery)
export class RetryWebhookDeliveryHandler implements ICommandHandler<RetryWebhookDelivery> {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    private readonly sender: WebhookSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(cmd: RetryWebhookDelivery): Promise<void> {
    const sql = readSql(this.orm);
    const [known] = await sql.query(
      'select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.company_id = $1 and d.id = $2',
      [cmd.companyId, cmd.deliveryId],
    );
    if (!known) throw notFound('webhook delivery', cmd.deliveryId);
    const now = this.clock.now();
    const [claimed] = await sql.query<ClaimedDelivery>(
      `update webhook_deliveries w set lease_until = $3
       from webhook_endpoints e, webhook_events v
       where w.id = $1 and w.company_id = $2 and e.id = w.endpoint_id and v.id = w.event_id and (w.lease_until is null or w.lease_until < $4)
       returning w.id, w.company_id, w.endpoint_id, w.event_id, w.attempts, w.created_at, e.url, e.secret_encrypted, v.body`,
      [cmd.deliveryId, cmd.companyId, new Date(now.getTime() + MANUAL_LEASE_MS), now],
    );
    if (!claimed) throw conflict('delivery_in_progress', `delivery ${cmd.deliveryId} is being attempted right now; look at it again in a few seconds`);
    await this.sender.deliver(claimed, true);
  }
}
