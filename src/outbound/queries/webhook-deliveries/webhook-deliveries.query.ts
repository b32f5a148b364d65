import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decodeCursor, page, type Page } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';
import type { WebhookDeliveryResponse } from './webhook-delivery.response.js';

export type DeliveryRow = {
  id: string;
  seq: string;
  company_id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  last_duration_ms: number | null;
  next_attempt_at: Date | null;
  succeeded_at: Date | null;
  created_at: Date;
};

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

@Injectable()
export class WebhookDeliveriesQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** An endpoint's deliveries, newest first; deliveries of a deleted endpoint are gone with it. */
  async list(companyId: string, endpointId: string, f: { cursor?: string; limit: number; status?: string }): Promise<Page<WebhookDeliveryResponse>> {
    const sql = readSql(this.orm);
    const [endpoint] = await sql.query('select id from webhook_endpoints where company_id = $1 and id = $2', [companyId, endpointId]);
    if (!endpoint) throw notFound('webhook endpoint', endpointId);
    const before = decodeCursor(f.cursor);
    const rows = await sql.query<DeliveryRow & { position: string }>(
      `select *, seq as position from webhook_deliveries where company_id = $1 and endpoint_id = $2 and ($3::bigint = 0 or seq < $3) and ($4::text is null or status = $4)
       order by seq desc limit $5`,
      [companyId, endpointId, before, f.status ?? null, f.limit + 1],
    );
    return page(rows, f.limit, toDeliveryView);
  }

  async get(companyId: string, id: string): Promise<WebhookDeliveryResponse> {
    const [row] = await readSql(this.orm).query<DeliveryRow>(
      'select d.* from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.company_id = $1 and d.id = $2',
      [companyId, id],
    );
    if (!row) throw notFound('webhook delivery', id);
    return toDeliveryView(row);
  }
}

export function toDeliveryView(r: DeliveryRow): WebhookDeliveryResponse {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    type: r.type,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastAttemptAt: iso(r.last_attempt_at),
    lastDurationMs: r.last_duration_ms,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    succeededAt: iso(r.succeeded_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}
