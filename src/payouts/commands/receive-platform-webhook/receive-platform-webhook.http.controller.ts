import { Controller, Headers, HttpCode, Inject, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../../libs/http/auth.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { verifyStripeWebhook, WebhookSignatureError } from '../../../../libs/stripe/webhook-signature.js';
import { CONFIG } from '../../../core/tokens.js';
import { WebhookAckResponse } from '../../payouts.response.js';
import { ReceivePlatformWebhook } from './receive-platform-webhook.handler.js';

const TOLERANCE_SECONDS = 300;

@ApiTags('webhooks')
@Controller('v1/webhooks/stripe-platform')
export class PlatformWebhookController {
  constructor(private readonly commands: CommandBus, @Inject(CONFIG) private readonly config: AppConfig) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiOkResponse({ type: WebhookAckResponse, description: 'stored (or already stored); processed asynchronously' })
  @ApiBadRequestResponse({ description: 'bad or stale signature: nothing stored' })
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string): Promise<WebhookAckResponse> {
    const secret = this.config.stripeWebhookSecret;
    if (!secret) throw new DomainError(503, 'platform_webhook_not_configured', 'STRIPE_WEBHOOK_SECRET is not set, so platform events cannot be verified');
    let event;
    try {
      event = verifyStripeWebhook(req.rawBody, signature, secret, TOLERANCE_SECONDS);
    } catch (e) {
      if (e instanceof WebhookSignatureError) throw new DomainError(400, 'invalid_signature', e.message);
      throw e;
    }
    const duplicate: boolean = await this.commands.execute(new ReceivePlatformWebhook(event));
    return { received: true, duplicate };
  }
}
