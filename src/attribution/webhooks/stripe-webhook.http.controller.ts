import { Controller, Headers, HttpCode, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import Stripe from 'stripe';
import { Public } from '../../../libs/http/auth.js';
import { DomainError, conflict, notFound } from '../../../libs/http/domain-error.js';
import type { LeanJsonRoute } from '../../../libs/http/lean-json-route.js';
import { countWebhook } from '../../../libs/metrics/metrics.js';
import { STRIPE_EVENT_ID, type StripeEventJson } from '../domain/stripe-event.js';
import { stripeEventProblem } from '../domain/stripe-event-limits.js';
import { StripeInbox } from './stripe-inbox.js';
import { WebhookSecrets } from './webhook-secrets.js';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

class WebhookAck {
  @ApiProperty({ example: true }) received!: boolean;
  @ApiPropertyOptional({ description: 'true when this event id was stored before: nothing changed' }) duplicate?: boolean;
}

/**
 * Checks the Stripe-Signature (HMAC-SHA256 of the raw body, compared in constant time by the SDK); null when valid.
 * The SDK only refuses old timestamps; one further ahead than the tolerance is refused here too (SPEC: either direction).
 */
function signatureProblem(raw: Buffer, header: string, secret: string): string | null {
  try {
    Stripe.webhooks.signature!.verifyHeader(raw, header, secret, SIGNATURE_TOLERANCE_SECONDS);
    const signedAt = Number(/(?:^|,)\s*t=(\d{1,15})\s*(?:,|$)/.exec(header)?.[1]);
    if (!(signedAt - Date.now() / 1000 <= SIGNATURE_TOLERANCE_SECONDS))
      return `Stripe-Signature timestamp is outside the ${SIGNATURE_TOLERANCE_SECONDS} s tolerance`;
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/tolerance/i.test(message)) return `Stripe-Signature timestamp is outside the ${SIGNATURE_TOLERANCE_SECONDS} s tolerance`;
    if (/timestamp and signatures|expected scheme/i.test(message)) return 'Stripe-Signature header is malformed';
    return 'Stripe-Signature does not match the body for this company’s webhook secret';
  }
}

function isStripeEvent(e: unknown): e is StripeEventJson {
  const o = e as { id?: unknown; type?: unknown; object?: unknown } | null | undefined;
  return typeof o?.id === 'string' && STRIPE_EVENT_ID.test(o.id) && typeof o.type === 'string' && o.type.length <= 100 && o.object === 'event';
}

/**
 * Stripe's deliveries for a company: verify, store the event once, answer. Nothing else runs on this
 * path; the stored event is processed by the attribution reactor.
 */
@ApiTags('webhooks')
@Controller('v1/webhooks/stripe')
export class StripeWebhookController {
  constructor(
    private readonly secrets: WebhookSecrets,
    private readonly inbox: StripeInbox,
  ) {}

  @Post(':companyId')
  @Public()
  @HttpCode(200)
  @ApiHeader({ name: 'Stripe-Signature', required: true, description: 't=<unix seconds>,v1=<HMAC-SHA256 of "t.body" with the endpoint secret>' })
  @ApiOkResponse({ type: WebhookAck, description: 'stored (or already stored): processing follows asynchronously' })
  @ApiBadRequestResponse({ description: 'bad or stale signature, or not a Stripe event: nothing stored' })
  @ApiNotFoundResponse({ description: 'unknown company' })
  @ApiConflictResponse({ description: 'the company has not connected Stripe (no webhook secret)' })
  receive(@Param('companyId') companyId: string, @Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string): Promise<WebhookAck> {
    return this.accept(companyId, req.rawBody, req.body, signature);
  }

  /**
   * The endpoint once the body is read and parsed (raw bytes and JSON value): shared by this route
   * and the lean handler bootstrap.ts serves it with (stripeWebhookRoute), so both answer alike.
   */
  accept(companyId: string, raw: Buffer | undefined, body: unknown, signature: string | undefined): Promise<WebhookAck> {
    return countWebhook('company', () => this.store(companyId, raw, body, signature));
  }

  private async store(companyId: string, raw: Buffer | undefined, body: unknown, signature: string | undefined): Promise<WebhookAck> {
    let found = await this.secrets.get(companyId);
    if (found.status === 'unknown_company') throw notFound('company', companyId);
    if (found.status === 'not_connected')
      throw conflict('stripe_not_connected', `Company ${companyId} has no webhook signing secret: PUT /v1/company/stripe first`);
    if (!Buffer.isBuffer(raw) || raw.length === 0)
      throw new DomainError(400, 'invalid_payload', 'The body must be the JSON event Stripe sent, with Content-Type: application/json');
    if (!signature) throw new DomainError(400, 'invalid_signature', 'The Stripe-Signature header is missing');
    let problem = signatureProblem(raw, signature, found.secret);
    if (problem && found.cached) {
      found = await this.secrets.get(companyId, true);
      if (found.status === 'ok') problem = signatureProblem(raw, signature, found.secret);
    }
    if (problem) throw new DomainError(400, 'invalid_signature', problem);
    const event = body as { id: string; type: string; object: string } | undefined;
    if (!isStripeEvent(event)) throw new DomainError(400, 'invalid_payload', 'The body is not a Stripe event (id evt_…, type, object "event")');
    const outside = stripeEventProblem(event, Math.floor(Date.now() / 1000));
    if (outside) throw new DomainError(400, 'invalid_payload', `Not an event Stripe sends: ${outside.message}`, { errors: [outside] });
    const { duplicate } = await this.inbox.ingest(companyId, event, 'webhook');
    return duplicate ? { received: true, duplicate: true } : { received: true };
  }
}

/**
 * POST /v1/webhooks/stripe/:companyId served before Express and Nest (libs/http/lean-json-route.ts):
 * Stripe's deliveries are the one high-volume route, and the framework pipeline cost more than the
 * signature check and the append together. Same checks, answers and log lines as the Nest route,
 * which still serves the requests the lean handler leaves to it (other encodings, odd paths) and
 * documents the endpoint.
 */
export function stripeWebhookRoute(controller: StripeWebhookController, limit: number): LeanJsonRoute {
  return {
    method: 'POST',
    path: /^\/v1\/webhooks\/stripe\/([A-Za-z0-9_-]{1,200})$/,
    limit,
    status: 200,
    handle: ([companyId], req, raw, body) => controller.accept(companyId!, raw, body, req.headers['stripe-signature'] as string | undefined),
  };
}
