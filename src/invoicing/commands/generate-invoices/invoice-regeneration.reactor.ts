import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import type { Reactor } from '../../../../libs/event-store/subscriptions.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { evolveInvoice, initialInvoice, invoiceStream, type InvoiceVoided } from '../../domain/invoice.js';
import { InvoiceRunService } from './invoice-run.service.js';
import { isEventOf } from '../../../../libs/event-store/aggregate.js';

const isVoided = isEventOf<InvoiceVoided>()('InvoiceVoided');

/**
 * An invoice voided because one of its commissions was reversed is generated again for its partner and period, from the
 * reduced commissions (void-and-regenerate: the new invoice needs approval again). Idempotent: a partner with a live
 * invoice for the period is skipped by the run.
 */
@Injectable()
export class InvoiceRegenerationReactor implements Reactor {
  readonly name = 'invoice_regeneration';

  constructor(
    private readonly es: EventSourcing,
    private readonly runs: InvoiceRunService,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    if (!isVoided(event)) return;
    const d = event.data;
    if (d.cause !== 'commission_reversed') return;
    const { state } = await this.es.load(invoiceStream(d.companyId, d.invoiceId), initialInvoice, evolveInvoice);
    await this.runs.generate(d.companyId, { periodEnd: state.periodEnd, partnerIds: [d.partnerId] });
  }
}
