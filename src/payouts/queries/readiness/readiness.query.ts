import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql, type Sql } from '../../../../libs/database/sql.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { LOGGER, ORM } from '../../../core/tokens.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { AccountRefresher } from '../../commands/refresh-account/account-refresher.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CompaniesQuery, CompanyBillingQuery } from '../../../companies/index.js';
import { partnerConnect, PartnersQuery } from '../../../partners/index.js';
import type { InvoiceStatus } from '../../../invoicing/index.js';
import type { PartnerConnectState } from '../../domain/connect.js';
import { readiness, type ReadinessCheck, type ReadinessFacts } from '../../domain/readiness.js';

/**
 * Gathers the checklist's facts: Connect, card and schedule from the event streams (always current),
 * leads, payments and invoices from their modules' tables (their query services have no per-partner totals).
 */
@Injectable()
export class ReadinessQuery {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    private readonly es: EventSourcing,
    private readonly partners: PartnersQuery,
    private readonly companies: CompaniesQuery,
    private readonly companyBilling: CompanyBillingQuery,
    private readonly accounts: AccountRefresher,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async get(companyId: string, partnerId: string): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
    const partner = await this.partners.row(companyId, partnerId);
    if (!partner) throw notFound('partner', partnerId);
    const sql = readSql(this.orm);
    const [connect, billing, company, leads, payments, invoices] = await Promise.all([
      partnerConnect(this.es.store, companyId, partnerId),
      this.companyBilling.billing(companyId),
      this.companies.get(companyId),
      sql.query<{ n: number }>('select count(*)::int as n from leads where company_id = $1 and partner_id = $2', [companyId, partnerId]),
      this.payments(sql, companyId, partnerId),
      this.invoices(sql, companyId, partnerId),
    ]);
    const { accountId, status } = await this.current({ companyId, partnerId }, connect);
    const facts: ReadinessFacts = {
      leads: leads[0]!.n,
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

  private async payments(sql: Sql, companyId: string, partnerId: string): Promise<ReadinessFacts['payments']> {
    const rows = await sql.query<{ currency: string; n: number; amount: string }>(
      `select currency, count(*)::int as n, sum(net)::text as amount from payments
       where company_id = $1 and partner_id = $2 and attribution_status = 'attributed' group by currency order by currency`,
      [companyId, partnerId],
    );
    return { attributed: rows.reduce((s, r) => s + r.n, 0), revenue: rows.map((r) => ({ currency: r.currency, amount: Number(r.amount) })) };
  }

  private async invoices(sql: Sql, companyId: string, partnerId: string): Promise<ReadinessFacts['invoices']> {
    const rows = await sql.query<{ id: string; number: string; status: InvoiceStatus; failure_reason: string | null }>(
      'select id, number, status, failure_reason from invoices where company_id = $1 and partner_id = $2 order by position desc',
      [companyId, partnerId],
    );
    const counts: Partial<Record<InvoiceStatus, number>> = {};
    for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
    const latest = rows[0];
    return { counts, latest: latest ? { id: latest.id, number: latest.number, status: latest.status, failureReason: latest.failure_reason } : null };
  }
}
