import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import type { NewEvent } from '../../../../libs/event-store/event-store.port.js';
import { isResourceId } from '../../../shared-kernel/resource-id.js';
import { PendingReversals } from './pending-reversals.js';
import {
  decideApprove,
  decideMarkPaid,
  decideVoid,
  evolveInvoice,
  initialInvoice,
  invoiceStream,
  type ApprovedBankDetails,
  type InvoiceState,
} from '../../domain/invoice.js';
import { partnerBankDetails } from '../../../partners/index.js';

type Ids = { invoiceId: string; companyId: string };

export class ApproveInvoice {
  constructor(
    readonly companyId: string,
    readonly invoiceId: string,
  ) {}
}
export class MarkInvoicePaid {
  constructor(
    readonly companyId: string,
    readonly invoiceId: string,
    readonly reference: string,
  ) {}
}
/** Voiding returns the invoice's commissions to payable (the commissions projection follows InvoiceVoided). */
export class VoidInvoice {
  constructor(
    readonly companyId: string,
    readonly invoiceId: string,
  ) {}
}

async function transition(es: EventSourcing, cmd: Ids, decide: (state: InvoiceState, ids: Ids) => NewEvent[] | Promise<NewEvent[]>): Promise<void> {
  const ids = { invoiceId: cmd.invoiceId, companyId: cmd.companyId };
  if (!isResourceId(cmd.invoiceId)) throw notFound('invoice', cmd.invoiceId);
  const { checkpoint } = await es.execute(invoiceStream(cmd.companyId, cmd.invoiceId), initialInvoice, evolveInvoice, async (state) => {
    if (!state.exists) throw notFound('invoice', cmd.invoiceId);
    return { events: await decide(state, ids) };
  });
  await es.settle(checkpoint);
}

/** Approval records the partner's bank details as they are now: the invoice is paid to those, whatever changes later. */
@CommandHandler(ApproveInvoice)
export class ApproveInvoiceHandler implements ICommandHandler<ApproveInvoice> {
  constructor(private readonly es: EventSourcing) {}
  execute(cmd: ApproveInvoice): Promise<void> {
    return transition(this.es, cmd, async (state, ids) => decideApprove(state, ids, await this.bankDetails(cmd.companyId, state.partnerId)));
  }

  private async bankDetails(companyId: string, partnerId: string): Promise<ApprovedBankDetails | null> {
    const last = await partnerBankDetails(this.es.store, companyId, partnerId);
    return last ? { encrypted: last.bankDetailsEncrypted, masked: last.bankDetailsMasked } : null;
  }
}

@CommandHandler(MarkInvoicePaid)
export class MarkInvoicePaidHandler implements ICommandHandler<MarkInvoicePaid> {
  constructor(
    private readonly es: EventSourcing,
    private readonly reversals: PendingReversals,
  ) {}
  async execute(cmd: MarkInvoicePaid): Promise<void> {
    await this.reversals.settled();
    return transition(this.es, cmd, (state, ids) => decideMarkPaid(state, ids, cmd.reference, this.es.clock.now().toISOString()));
  }
}

@CommandHandler(VoidInvoice)
export class VoidInvoiceHandler implements ICommandHandler<VoidInvoice> {
  constructor(private readonly es: EventSourcing) {}
  execute(cmd: VoidInvoice): Promise<void> {
    return transition(this.es, cmd, decideVoid);
  }
}
