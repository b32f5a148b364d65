import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import type { Reactor } from '../../../libs/event-store/subscriptions.js';
import { readSql } from '../../../libs/database/sql.js';
import { CLOCK, ORM } from '../../core/tokens.js';
import type { Clock } from '../../../libs/event-store/command-handling.js';
import { deliveryIdOf, resourceKeyOf, webhookFactOf } from '../domain/webhook-event-types.js';
import { WEBHOOK_ENDPOINTS_PROJECTION } from '../queries/webhook-endpoints/webhook-endpoints.projection.js';
import { WebhookSender } from '../jobs/webhook-sender/webhook-sender.job.js';
import { ReadModels } from './read-models.js';
import { ResourceObjects } from './resource-objects.js';

/**
 * The outbox of outgoing webhooks: a domain event of a subscribed type becomes one event body (id derived from the
 * domain event, so a replay finds it) and one delivery per enabled endpoint subscribed to it, written together and
 * idempotently. The checkpoint moves only after, so a crash replays the reaction and loses nothing; the sender
 * delivers. Keyed per resource, so a resource's deliveries are queued in the order of its events.
 */
@Injectable()
export class WebhookOutboxReactor implements Reactor {
  readonly name = 'outbound_webhooks';
  readonly concurrency = 32;

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    private readonly readModels: ReadModels,
    private readonly objects: ResourceObjects,
    private readonly sender: WebhookSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  partitionKey(event: RecordedEvent): string | undefined {
    const fact = webhookFactOf(event);
    return fact && `${fact.companyId}:${resourceKeyOf(fact)}`;
  }

  async react(event: RecordedEvent): Promise<void> {
    const fact = webhookFactOf(event);
    if (!fact) return;
    // endpoints made before the event was appended must be known (asked every time: an empty answer is no error)
    await this.readModels.at(event.checkpoint, [WEBHOOK_ENDPOINTS_PROJECTION], false);
    const endpoints = await readSql(this.orm).query<{ id: string }>(
      `select id from webhook_endpoints where company_id = $1 and status = 'enabled' and $2 = any(events) order by position`,
      [fact.companyId, fact.type],
    );
    if (endpoints.length === 0) return;
    const object = await this.objects.load(fact.resource, fact.companyId, fact.resourceId, event.checkpoint);
    const body = JSON.stringify({ id: fact.id, type: fact.type, created: fact.created, data: { object } });
    // One statement, so both or neither; a replay keeps the body first written: every attempt sends the same bytes.
    await readSql(this.orm).query(
      `with body as (insert into webhook_events (id, company_id, type, body, created_at) values ($4, $2, $5, $8, $7) on conflict (id) do nothing)
       insert into webhook_deliveries (id, company_id, endpoint_id, event_id, type, resource_key, next_attempt_at, created_at)
       select unnest($1::text[]), $2, unnest($3::text[]), $4, $5, $6, $7, $7 on conflict (endpoint_id, event_id) do nothing`,
      [
        endpoints.map((e) => deliveryIdOf(e.id, fact.id)),
        fact.companyId,
        endpoints.map((e) => e.id),
        fact.id,
        fact.type,
        resourceKeyOf(fact),
        this.clock.now(),
        body,
      ],
    );
    this.sender.wake();
  }
}
