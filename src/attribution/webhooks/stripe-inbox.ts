import { Injectable } from '@nestjs/common';
import { EventSourcing } from '../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../libs/event-store/event-store.port.js';
import { stripeEventReceived, stripeEventStream, type StripeEventJson, type StripeEventSource } from '../domain/stripe-event.js';

/** Stores a verified Stripe event once per (company, event id): webhook deliveries and reconciliation meet here. */
@Injectable()
export class StripeInbox {
  constructor(private readonly es: EventSourcing) {}

  async ingest(companyId: string, event: StripeEventJson, source: StripeEventSource): Promise<{ duplicate: boolean }> {
    try {
      await this.es.append(stripeEventStream(companyId, event.id), [stripeEventReceived(companyId, event, source)], 'no_stream');
      return { duplicate: false };
    } catch (e) {
      if (e instanceof WrongExpectedVersion) return { duplicate: true };
      throw e;
    }
  }
}
