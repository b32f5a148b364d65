import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { PageQuery, pageLimit } from '../../../../libs/http/pagination.js';
import { WebhookEndpointsQuery } from './webhook-endpoints.query.js';
import { WebhookEndpointListResponse } from './webhook-endpoint.response.js';

@ApiTags('webhook endpoints')
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsQuery) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: WebhookEndpointListResponse, description: 'the company’s endpoints with their status (disabled ones say when and why)' })
  list(@Caller() caller: AdminPrincipal, @Query() q: PageQuery): Promise<WebhookEndpointListResponse> {
    return this.endpoints.list(caller.companyId, q.cursor, pageLimit(q));
  }
}
