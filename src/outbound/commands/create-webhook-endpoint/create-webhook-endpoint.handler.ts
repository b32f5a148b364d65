import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../../../libs/config/config.js';
import { encryptSecret } from '../../../../libs/crypto/secrets.js';
import { invalid } from '../../../../libs/http/domain-error.js';
import { CONFIG } from '../../../core/tokens.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { decideCreateEndpoint, evolveWebhookEndpoint, initialWebhookEndpoint, webhookEndpointStream } from '../../domain/webhook-endpoint.js';
import { endpointUrlProblem } from '../../domain/endpoint-url.js';
import type { WebhookEventType } from '../../domain/webhook-event-types.js';
import { resolveAllowed, systemResolve, UnsafeAddress, type Resolve } from '../../jobs/webhook-sender/safe-lookup.js';
import { WebhookEndpointsQuery } from '../../queries/webhook-endpoints/webhook-endpoints.query.js';

export class CreateWebhookEndpoint {
  constructor(
    readonly companyId: string,
    readonly url: string,
    readonly events: WebhookEventType[],
    readonly description: string | null,
  ) {}
}

/** The host lookup the URL check uses; tests swap it to play DNS. */
export const WEBHOOK_RESOLVER = Symbol('WEBHOOK_RESOLVER');
export const webhookResolverProvider = { provide: WEBHOOK_RESOLVER, useValue: systemResolve };

/** Checks the URL (and where its host resolves) before anything is stored; answers the endpoint id and its one-time secret. */
@CommandHandler(CreateWebhookEndpoint)
export class CreateWebhookEndpointHandler implements ICommandHandler<CreateWebhookEndpoint, { endpointId: string; secret: string }> {
  constructor(
    private readonly es: EventSourcing,
    private readonly endpoints: WebhookEndpointsQuery,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_RESOLVER) private readonly resolve: Resolve,
  ) {}

  async execute(cmd: CreateWebhookEndpoint): Promise<{ endpointId: string; secret: string }> {
    const problem = endpointUrlProblem(cmd.url, this.config.webhookAllowPrivate);
    if (problem) throw invalid('url', problem);
    if (!this.config.webhookAllowPrivate) {
      await resolveAllowed(new URL(cmd.url).hostname, this.resolve).catch((e: unknown) => {
        throw e instanceof UnsafeAddress ? invalid('url', `url ${e.message}`) : e;
      });
    }
    const endpointId = `we_${randomBytes(12).toString('hex')}`;
    const secret = `whsec_${randomBytes(24).toString('hex')}`;
    const count = await this.endpoints.count(cmd.companyId);
    const { checkpoint } = await this.es.execute(webhookEndpointStream(cmd.companyId, endpointId), initialWebhookEndpoint, evolveWebhookEndpoint, (state) => ({
      events: decideCreateEndpoint(
        state,
        {
          companyId: cmd.companyId,
          endpointId,
          url: new URL(cmd.url).href,
          events: cmd.events,
          description: cmd.description,
          secretEncrypted: encryptSecret(secret, this.config.encryptionKey),
        },
        count,
      ),
    }));
    await this.es.settle(checkpoint);
    return { endpointId, secret };
  }
}
