import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { CreateWebhookEndpointRequest } from './create-webhook-endpoint.request.dto.js';
import { CreateWebhookEndpoint } from './create-webhook-endpoint.handler.js';
import { DeleteWebhookEndpoint } from '../delete-webhook-endpoint/delete-webhook-endpoint.handler.js';
import { WebhookEndpointsQuery } from '../../queries/webhook-endpoints/webhook-endpoints.query.js';
import { CreatedWebhookEndpointResponse } from '../../queries/webhook-endpoints/webhook-endpoint.response.js';

@ApiTags('webhook endpoints')
@Controller('v1/webhook-endpoints')
export class CreateWebhookEndpointController {
  constructor(
    private readonly commands: CommandBus,
    private readonly endpoints: WebhookEndpointsQuery,
  ) {}

  @Post()
  @Auth('admin')
  @ApiCreatedResponse({ type: CreatedWebhookEndpointResponse, description: 'the endpoint and its signing secret (shown once)' })
  async create(
    @Caller() caller: AdminPrincipal,
    @Body() body: CreateWebhookEndpointRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreatedWebhookEndpointResponse> {
    const { endpointId, secret } = await this.commands.execute(
      new CreateWebhookEndpoint(caller.companyId, body.url, body.events, body.description?.trim() ?? null),
    );
    res.setHeader('Cache-Control', 'no-store');
    return { ...(await this.endpoints.get(caller.companyId, endpointId)), secret };
  }

  @Delete(':id')
  @Auth('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted: nothing more is sent to it, its pending deliveries are dropped' })
  async delete(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<void> {
    await this.commands.execute(new DeleteWebhookEndpoint(caller.companyId, id));
  }
}
