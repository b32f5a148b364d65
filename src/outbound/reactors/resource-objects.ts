import { Inject, Injectable } from '@nestjs/common';
import { LEADS_PROJECTION, LeadsQuery, PAYMENTS_PROJECTION, PaymentsQuery } from '../../attribution/index.js';
import { COMMISSIONS_PROJECTION, CommissionsQuery } from '../../commissions/index.js';
import { INVOICES_PROJECTION, InvoicesQuery } from '../../invoicing/index.js';
import { PARTNERS_PROJECTION, PartnersQuery } from '../../partners/index.js';
import type { ResourceKind } from '../domain/webhook-event-types.js';
import { ReadModels } from './read-models.js';
import { CLOCK } from '../../core/tokens.js';
import type { Clock } from '../../../libs/event-store/command-handling.js';

const PROJECTION: Record<ResourceKind, string> = {
  payment: PAYMENTS_PROJECTION,
  commission: COMMISSIONS_PROJECTION,
  invoice: INVOICES_PROJECTION,
  lead: LEADS_PROJECTION,
  partner: PARTNERS_PROJECTION,
};

/** A webhook's `data.object`: the resource as the API shows it (GET /v1/<resources>/{id}), once its read model has the event. */
@Injectable()
export class ResourceObjects {
  constructor(
    private readonly readModels: ReadModels,
    private readonly payments: PaymentsQuery,
    private readonly leads: LeadsQuery,
    private readonly commissions: CommissionsQuery,
    private readonly invoices: InvoicesQuery,
    private readonly partners: PartnersQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(kind: ResourceKind, companyId: string, id: string, checkpoint: string): Promise<object> {
    await this.readModels.at(checkpoint, [PROJECTION[kind]]);
    return this.read(kind, companyId, id).catch((e: unknown) => {
      this.readModels.forget([PROJECTION[kind]]);
      throw e;
    });
  }

  private read(kind: ResourceKind, companyId: string, id: string): Promise<object> {
    switch (kind) {
      case 'payment':
        return this.payments.get(companyId, id);
      case 'commission':
        return this.commissions.get(companyId, id, this.clock.now());
      case 'invoice':
        return this.invoices.get(companyId, id);
      case 'lead':
        return this.leads.get(companyId, id);
      case 'partner':
        return this.partners.get(companyId, id);
    }
  }
}
