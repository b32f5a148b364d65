import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { WebhookDeliveriesQuery } from './webhook-deliveries.query.js';
import { WebhookDeliveryListResponse } from './webhook-delivery.response.js';

const STATUSES = ['pending', 'succeeded', 'failed'] as const;

class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}

@ApiTags('webhook endpoints')
@Controller('v1/webhook-endpoints')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesQuery) {}

  @Get(':id/deliveries')
  @Auth('admin')
  @ApiOkResponse({ type: WebhookDeliveryListResponse, description: 'the delivery log of one endpoint, newest first, with status codes and timings' })
  list(@Caller() caller: AdminPrincipal, @Param('id') id: string, @Query() q: ListDeliveriesQuery): Promise<WebhookDeliveryListResponse> {
    return this.deliveries.list(caller.companyId, id, { cursor: q.cursor, limit: pageLimit(q), status: q.status });
  }
}
