import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { WebhookEndpointEvent } from '../../domain/webhook-endpoint.js';

export const WEBHOOK_ENDPOINTS_PROJECTION = 'webhook_endpoints';

/** The company's endpoints, their subscribed types and status; the sender and the outbox reactor read it too. */
export const webhookEndpointsProjection = projection<WebhookEndpointEvent>()({
  name: WEBHOOK_ENDPOINTS_PROJECTION,
  tables: ['webhook_endpoints'],
  types: ['WebhookEndpointCreated', 'WebhookEndpointDisabled', 'WebhookEndpointDeleted'],
  async apply(e, sql) {
    switch (e.type) {
      case 'WebhookEndpointCreated':
        await sql.query(
          `insert into webhook_endpoints (id, company_id, url, events, description, secret_encrypted, status, position, created_at)
           values ($1, $2, $3, $4, $5, $6, 'enabled', $7, $8) on conflict (id) do nothing`,
          [e.data.endpointId, e.data.companyId, e.data.url, e.data.events, e.data.description, e.data.secretEncrypted, e.globalPosition, e.occurredAt],
        );
        return;
      case 'WebhookEndpointDisabled':
        await sql.query(`update webhook_endpoints set status = 'disabled', disabled_at = $2, disabled_reason = $3 where id = $1`, [
          e.data.endpointId,
          e.data.disabledAt,
          e.data.reason,
        ]);
        return;
      case 'WebhookEndpointDeleted':
        await sql.query('delete from webhook_endpoints where id = $1', [e.data.endpointId]);
        return;
    }
  },
});
