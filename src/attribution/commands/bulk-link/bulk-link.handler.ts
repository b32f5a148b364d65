import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { DomainError, invalid } from '../../../../libs/http/domain-error.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { LOGGER } from '../../../core/tokens.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { LinkLeadCustomer } from '../link-customer/link-customer.handler.js';
import { CUSTOMER_ID } from '../link-customer/link-customer.request.dto.js';

export const MAX_BULK_ITEMS = 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface BulkLinkResult {
  index: number;
  ok: boolean;
  leadId?: string;
  customerId: string;
  error?: string;
}

export class BulkLinkCustomers {
  constructor(
    readonly companyId: string,
    readonly items: unknown[],
    readonly attributePastPayments: boolean,
  ) {}
}

type Row = { leadId?: string; email?: string; customerId: string };

/** Validates and links each row on its own, in order: a bad row never stops the others. */
@CommandHandler(BulkLinkCustomers)
export class BulkLinkCustomersHandler implements ICommandHandler<BulkLinkCustomers, BulkLinkResult[]> {
  constructor(
    private readonly commands: CommandBus,
    private readonly es: EventSourcing,
    private readonly leads: LeadsQuery,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async execute(cmd: BulkLinkCustomers): Promise<BulkLinkResult[]> {
    if (cmd.items.length === 0) throw invalid('items', 'items must list at least one row');
    if (cmd.items.length > MAX_BULK_ITEMS) throw invalid('items', `items may list at most ${MAX_BULK_ITEMS} rows; split the file`);
    const results: BulkLinkResult[] = [];
    let checkpoint: string | undefined;
    for (const [index, raw] of cmd.items.entries()) {
      const customerId = typeof (raw as Row | null)?.customerId === 'string' ? (raw as Row).customerId : '';
      let leadId: string | undefined;
      try {
        const row = parseRow(raw);
        leadId = row.leadId ?? (await this.leadByEmail(cmd.companyId, row.email!));
        const done = await this.commands.execute(new LinkLeadCustomer(cmd.companyId, leadId, row.customerId, cmd.attributePastPayments));
        checkpoint = done.checkpoint ?? checkpoint;
        results.push({ index, ok: true, leadId, customerId });
      } catch (e) {
        if (!(e instanceof DomainError)) this.log.error({ err: e, index }, 'bulk link row failed');
        results.push({
          index,
          ok: false,
          ...(leadId ? { leadId } : {}),
          customerId,
          error: e instanceof DomainError ? e.message : 'unexpected error; retry this row',
        });
      }
    }
    await this.es.settle(checkpoint);
    return results;
  }

  private async leadByEmail(companyId: string, email: string): Promise<string> {
    const ids = await this.leads.idsByEmail(companyId, email);
    if (ids.length === 0) throw invalid('email', `no lead with email ${email}`);
    if (ids.length > 1) throw invalid('email', `${ids.length} leads have email ${email}; give leadId`);
    return ids[0]!;
  }
}

function parseRow(raw: unknown): Row {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('items', 'each row must be an object {leadId or email, customerId}');
  const r = raw as Record<string, unknown>;
  if (typeof r.customerId !== 'string' || !CUSTOMER_ID.test(r.customerId)) throw invalid('customerId', 'customerId must be a Stripe customer id (cus_…)');
  if (r.leadId !== undefined && r.leadId !== null) {
    if (typeof r.leadId !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(r.leadId)) throw invalid('leadId', 'leadId must be a lead id');
    return { leadId: r.leadId, customerId: r.customerId };
  }
  if (typeof r.email !== 'string' || r.email.length > 320 || !EMAIL.test(r.email.trim())) throw invalid('email', 'give leadId, or email as a valid address');
  return { email: r.email.trim(), customerId: r.customerId };
}
