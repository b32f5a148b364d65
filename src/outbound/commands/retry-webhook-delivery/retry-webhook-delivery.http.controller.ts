import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { RetryWebhookDelivery } from './retry-webhook-delivery.handler.js';
import { WebhookDeliveriesQuery } from '../../queries/webhook-deliveries/webhook-deliveries.query.js';
import { WebhookDeliveryResponse } from '../../queries/webhook-deliveries/webhook-delivery.response.js';

@ApiTags('webhook endpoints')
@Controller('v1/webhook-deliveries')
export class RetryWebhookDeliveryController {
  constructor(
    private readonly commands: CommandBus,
    private readonly deliveries: WebhookDeliveriesQuery,
  ) {}

  @Post(':id/retry')
  @Auth('admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: WebhookDeliveryResponse,
    description: 'sent once now (same event id and body); answers the delivery with this attempt’s status code and timing',
  })
  async retry(@Caller() caller: AdminPrincipal, @Param('id') id: string): Promise<WebhookDeliveryResponse> {
    await this.commands.execute(new RetryWebhookDelivery(caller.companyId, id));
    return this.deliveries.get(caller.companyId, id);
  }
}
