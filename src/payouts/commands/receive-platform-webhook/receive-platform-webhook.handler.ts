import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import type { VerifiedStripeEvent } from '../../../../libs/stripe/webhook-signature.js';
import { platformWebhookStream, type PlatformWebhookReceived } from '../../domain/platform-webhook.js';

export class ReceivePlatformWebhook {
  constructor(readonly event: VerifiedStripeEvent) {}
}

/** Stores the event durably, once per Stripe event id; the reactor processes it after. Answers whether it was a duplicate. */
@CommandHandler(ReceivePlatformWebhook)
export class ReceivePlatformWebhookHandler implements ICommandHandler<ReceivePlatformWebhook, boolean> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ event }: ReceivePlatformWebhook): Promise<boolean> {
    const received: PlatformWebhookReceived = {
      type: 'PlatformWebhookReceived',
      data: { eventId: event.id, eventType: event.type, account: event.account ?? null, created: event.created, object: withoutCardDetails(event.data.object) },
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

/** A failed PaymentIntent embeds the whole PaymentMethod (billing details, card fingerprint): only its id is kept. */
function withoutCardDetails(object: Record<string, unknown>): Record<string, unknown> {
  const error = object.last_payment_error as { payment_method?: { id?: string } | null } | null | undefined;
  if (!error?.payment_method || typeof error.payment_method !== 'object') return object;
  return { ...object, last_payment_error: { ...error, payment_method: error.payment_method.id ?? null } };
}
