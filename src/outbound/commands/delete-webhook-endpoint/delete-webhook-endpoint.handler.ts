import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { isStreamKeySafe } from '../../domain/ids.js';
import { ORM } from '../../../core/tokens.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decideDeleteEndpoint, evolveWebhookEndpoint, initialWebhookEndpoint, webhookEndpointStream } from '../../domain/webhook-endpoint.js';

export class DeleteWebhookEndpoint {
  constructor(
    readonly companyId: string,
    readonly endpointId: string,
  ) {}
}

@CommandHandler(DeleteWebhookEndpoint)
export class DeleteWebhookEndpointHandler implements ICommandHandler<DeleteWebhookEndpoint> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(ORM) private readonly orm: MikroORM,
  ) {}

  async execute(cmd: DeleteWebhookEndpoint): Promise<void> {
    if (!isStreamKeySafe(cmd.endpointId)) throw notFound('webhook endpoint', cmd.endpointId);
    const ids = { companyId: cmd.companyId, endpointId: cmd.endpointId };
    const { checkpoint } = await this.es.execute(
      webhookEndpointStream(cmd.companyId, cmd.endpointId),
      initialWebhookEndpoint,
      evolveWebhookEndpoint,
      (state) => ({
        events: decideDeleteEndpoint(state, ids),
      }),
    );
    await readSql(this.orm).query(
      `update webhook_deliveries set status = 'failed', last_error = 'endpoint deleted', next_attempt_at = null where endpoint_id = $1 and status = 'pending'`,
      [cmd.endpointId],
    );
    await this.es.settle(checkpoint);
  }
}
