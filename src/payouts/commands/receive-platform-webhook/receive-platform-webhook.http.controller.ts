import { Controller, Headers, HttpCode, Inject, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiHeader, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../../libs/http/auth.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { countWebhook } from '../../../../libs/metrics/metrics.js';
import { verifyStripeWebhook, WebhookSignatureError } from '../../../../libs/stripe/webhook-signature.js';
import { CONFIG } from '../../../core/tokens.js';
import { WebhookAckResponse } from '../../payouts.response.js';
import { ReceivePlatformWebhook } from './receive-platform-webhook.handler.js';

const TOLERANCE_SECONDS = 300;

/**
 * The platform's two Stripe endpoints. Stripe sends the platform account's own events (`setup_intent.*`,
 * `payment_intent.*`) only to an account endpoint, and connected accounts' events (`account.updated`, which name the
 * account in `account`) only to a Connect endpoint; each endpoint signs with its own secret.
 */
const ENDPOINTS = {
  account: { path: '/v1/webhooks/stripe-platform', variable: 'STRIPE_WEBHOOK_SECRET', secret: (c: AppConfig) => c.stripeWebhookSecret },
  connect: { path: '/v1/webhooks/stripe-connect', variable: 'STRIPE_CONNECT_WEBHOOK_SECRET', secret: (c: AppConfig) => c.stripeConnectWebhookSecret },
} as const;
type Endpoint = keyof typeof ENDPOINTS;

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class PlatformWebhookController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('stripe-platform')
  @Public()
  @HttpCode(200)
  @ApiHeader({ name: 'Stripe-Signature', required: true, description: 'signed with STRIPE_WEBHOOK_SECRET (the account endpoint’s secret)' })
  @ApiOkResponse({ type: WebhookAckResponse, description: 'the platform account’s own event, stored (or already stored); processed asynchronously' })
  @ApiBadRequestResponse({ description: 'bad or stale signature: nothing stored' })
  @ApiUnprocessableEntityResponse({ description: 'a connected account’s event (it has `account`): it belongs on /v1/webhooks/stripe-connect; nothing stored' })
  @ApiServiceUnavailableResponse({ description: 'STRIPE_WEBHOOK_SECRET is not set' })
  account(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string): Promise<WebhookAckResponse> {
    return this.accept('account', req.rawBody, signature);
  }

  @Post('stripe-connect')
  @Public()
  @HttpCode(200)
  @ApiHeader({ name: 'Stripe-Signature', required: true, description: 'signed with STRIPE_CONNECT_WEBHOOK_SECRET (the Connect endpoint’s secret)' })
  @ApiOkResponse({ type: WebhookAckResponse, description: 'a connected account’s event, stored (or already stored); processed asynchronously' })
  @ApiBadRequestResponse({ description: 'bad or stale signature: nothing stored' })
  @ApiUnprocessableEntityResponse({ description: 'the platform’s own event (no `account`): it belongs on /v1/webhooks/stripe-platform; nothing stored' })
  @ApiServiceUnavailableResponse({ description: 'STRIPE_CONNECT_WEBHOOK_SECRET is not set' })
  connect(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string): Promise<WebhookAckResponse> {
    return this.accept('connect', req.rawBody, signature);
  }

  private accept(endpoint: Endpoint, raw: Buffer | undefined, signature: string | undefined): Promise<WebhookAckResponse> {
    return countWebhook(endpoint, () => this.store(endpoint, raw, signature));
  }

  private async store(endpoint: Endpoint, raw: Buffer | undefined, signature: string | undefined): Promise<WebhookAckResponse> {
    const { variable, secret } = ENDPOINTS[endpoint];
    const key = secret(this.config);
    if (!key) throw new DomainError(503, `${endpoint}_webhook_not_configured`, `${variable} is not set, so these events cannot be verified`);
    let event;
    try {
      event = verifyStripeWebhook(raw, signature, key, TOLERANCE_SECONDS);
    } catch (e) {
      if (e instanceof WebhookSignatureError) throw new DomainError(400, 'invalid_signature', e.message);
      throw e;
    }
    const belongs: Endpoint = event.account ? 'connect' : 'account';
    if (belongs !== endpoint) throw wrongEndpoint(belongs, event.type);
    const duplicate: boolean = await this.commands.execute(new ReceivePlatformWebhook(event));
    return { received: true, duplicate };
  }
}

/** A signed event at the other endpoint: its Stripe endpoint is set up at the wrong URL (or with the wrong secret). */
function wrongEndpoint(belongs: Endpoint, type: string): DomainError {
  const right = ENDPOINTS[belongs];
  const what =
    belongs === 'connect' ? `a connected account’s event (${type}, with \`account\`)` : `the platform account’s own event (${type}, without \`account\`)`;
  const setUp = belongs === 'connect' ? 'a Connect endpoint (“events on connected accounts”)' : 'an account endpoint (“events on your account”)';
  return new DomainError(
    422,
    'wrong_webhook_endpoint',
    `This is ${what}: Stripe sends those to ${setUp}, which must point at ${right.path} and sign with ${right.variable}`,
    {
      field: 'account',
      endpoint: right.path,
      secretVariable: right.variable,
    },
  );
}
