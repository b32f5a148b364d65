import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import type { VerifiedStripeEvent } from '../../../../libs/stripe/webhook-signature.js';
import { platformWebhookStream, type PlatformWebhookReceived } from '../../domain/platform-webhook.js';
import { withoutPaymentDetails } from '../../domain/stored-stripe-object.js';

export class ReceivePlatformWebhook {
  constructor(readonly event: VerifiedStripeEvent) {}
}

/**
 * Stores the event durably, once per Stripe event id, without payment method details or personal data (every platform
 * endpoint stores through here); the reactor processes it after. Answers whether it was a duplicate.
 */
@CommandHandler(ReceivePlatformWebhook)
export class ReceivePlatformWebhookHandler implements ICommandHandler<ReceivePlatformWebhook, boolean> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ event }: ReceivePlatformWebhook): Promise<boolean> {
    const received: PlatformWebhookReceived = {
      type: 'PlatformWebhookReceived',
      data: {
        eventId: event.id,
        eventType: event.type,
        account: event.account ?? null,
        created: event.created,
        object: withoutPaymentDetails(event.data.object),
      },
    };
    try {
      await this.es.append(platformWebhookStream(event.id), [received], 'no_stream');
      return false;
    } catch (e) {
      if (e instanceof WrongExpectedVersion) return true;
      throw e;
    }
  }
}
