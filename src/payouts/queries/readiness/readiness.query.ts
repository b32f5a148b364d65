import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../../../libs/http/domain-error.js';
import { LOGGER } from '../../../core/tokens.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { AccountRefresher } from '../../commands/refresh-account/account-refresher.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CompaniesQuery, CompanyBillingQuery } from '../../../companies/index.js';
import { partnerConnect, PartnersQuery, type PartnerConnectState } from '../../../partners/index.js';
import { InvoicesQuery } from '../../../invoicing/index.js';
import { LeadsQuery, PaymentsQuery } from '../../../attribution/index.js';
import { readiness, type ReadinessCheck, type ReadinessFacts } from '../../domain/readiness.js';

/**
 * Gathers the checklist's facts: Connect, card and schedule from the event streams (always current),
 * leads, payments and invoices from their modules' query services.
 */
@Injectable()
export class ReadinessQuery {
  constructor(
    private readonly es: EventSourcing,
    private readonly partners: PartnersQuery,
    private readonly companies: CompaniesQuery,
    private readonly companyBilling: CompanyBillingQuery,
    private readonly accounts: AccountRefresher,
    private readonly leads: LeadsQuery,
    private readonly payments: PaymentsQuery,
    private readonly invoices: InvoicesQuery,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async get(companyId: string, partnerId: string): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
    const partner = await this.partners.row(companyId, partnerId);
    if (!partner) throw notFound('partner', partnerId);
    const [connect, billing, company, leads, payments, invoices] = await Promise.all([
      partnerConnect(this.es.store, companyId, partnerId),
      this.companyBilling.billing(companyId),
      this.companies.get(companyId),
      this.leads.countOfPartner(companyId, partnerId),
      this.payments.attributedToPartner(companyId, partnerId),
      this.invoices.standingOfPartner(companyId, partnerId),
    ]);
    const { accountId, status } = await this.current({ companyId, partnerId }, connect);
    const facts: ReadinessFacts = {
      leads,
      payments,
      account: accountId
        ? {
            id: accountId,
            payoutsEnabled: status?.payoutsEnabled ?? false,
            detailsSubmitted: status?.detailsSubmitted ?? false,
            transfersActive: status?.transfersActive ?? null,
          }
        : null,
      bankDetails: partner.bank_details_masked !== null || partner.bank_details_encrypted !== null,
      card: billing.card && { brand: billing.card.brand, last4: billing.card.last4 },
      refusedMethod: billing.refused && { id: billing.refused.paymentMethodId, type: billing.refused.type },
      invoices,
      schedule: {
        configured: billing.scheduleConfigured,
        current: company.invoiceSchedule,
      },
    };
    return readiness(facts);
  }

  /** An account not known to be ready is read from Stripe (and recorded); if Stripe cannot answer, what is known is shown. */
  private async current(ids: { companyId: string; partnerId: string }, state: PartnerConnectState): Promise<PartnerConnectState> {
    try {
      return (await this.accounts.refresh(ids, state)).state;
    } catch (e) {
      this.log.warn(
        { ...ids, accountId: state.accountId, err: (e as Error).message },
        'could not read the partner’s Stripe account; the checklist shows the last known status',
      );
      return state;
    }
  }
}
