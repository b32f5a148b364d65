import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decodeCursor, page, type Page } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';
import type { WebhookEndpointResponse } from './webhook-endpoint.response.js';

type Row = {
  id: string;
  company_id: string;
  url: string;
  events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  disabled_at: Date | null;
  disabled_reason: string | null;
  position: string;
  created_at: Date;
};

@Injectable()
export class WebhookEndpointsQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async get(companyId: string, id: string): Promise<WebhookEndpointResponse> {
    const [row] = await readSql(this.orm).query<Row>('select * from webhook_endpoints where company_id = $1 and id = $2', [companyId, id]);
    if (!row) throw notFound('webhook endpoint', id);
    return toEndpointView(row);
  }

  async list(companyId: string, cursor: string | undefined, limit: number): Promise<Page<WebhookEndpointResponse>> {
    const rows = await readSql(this.orm).query<Row>('select * from webhook_endpoints where company_id = $1 and position > $2 order by position limit $3', [
      companyId,
      decodeCursor(cursor),
      limit + 1,
    ]);
    return page(rows, limit, toEndpointView);
  }

  async count(companyId: string): Promise<number> {
    const [row] = await readSql(this.orm).query<{ n: string }>('select count(*) as n from webhook_endpoints where company_id = $1', [companyId]);
    return Number(row!.n);
  }
}

function toEndpointView(r: Row): WebhookEndpointResponse {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    description: r.description,
    status: r.status,
    disabledAt: r.disabled_at ? new Date(r.disabled_at).toISOString() : null,
    disabledReason: r.disabled_reason,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
