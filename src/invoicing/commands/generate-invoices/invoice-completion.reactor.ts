import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import type { Reactor } from '../../../../libs/event-store/subscriptions.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { invoiceGeneratedAppend, type InvoiceNumberAssigned } from '../../domain/invoice.js';

export const INVOICE_COMPLETION = 'invoice_completion';

/**
 * Completes what an invoice run decided: where the store writes streams one by one, the run's `InvoiceNumberAssigned`
 * carries its invoice, and this writes the invoice stream a crash (or a failed append) left missing. The append is the
 * run's own (`no_stream`, the same event id), so an invoice already written is a no-op; nothing else ever writes it.
 * A command that needs the invoice and finds it missing waits for this reactor (`ReverseCommission`).
 */
@Injectable()
export class InvoiceCompletionReactor implements Reactor {
  readonly name = INVOICE_COMPLETION;

  constructor(private readonly es: EventSourcing) {}

  partitionKey(event: RecordedEvent): string | undefined {
    return event.type === 'InvoiceNumberAssigned' ? (event.data as InvoiceNumberAssigned['data']).invoiceId : undefined;
  }

  async react(event: RecordedEvent): Promise<void> {
    if (event.type !== 'InvoiceNumberAssigned') return;
    const invoice = (event.data as InvoiceNumberAssigned['data']).invoice;
    if (!invoice) return;
    const { streamId, events, expectedVersion } = invoiceGeneratedAppend(invoice);
    await this.es.append(streamId, events, expectedVersion);
  }
}
