import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Cron } from '@nestjs/schedule';
import type { LeaderLock } from '../../../../libs/event-store/leader-lock.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { LEADER, LOGGER } from '../../../core/tokens.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { ReconcileStripeEvents } from './reconcile.handler.js';

/** Daily reconciliation of every company that stored an API key; only the leader runs it. */
@Injectable()
export class ReconcileCron {
  constructor(
    private readonly commands: CommandBus,
    private readonly companies: CompaniesQuery,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Cron('0 17 3 * * *', { name: 'stripe-reconcile' })
  async daily(): Promise<number> {
    if (!this.leader.held) return 0;
    const companies = await this.companies.withStripeApiKey();
    for (const id of companies) {
      try {
        const result = await this.commands.execute(new ReconcileStripeEvents(id));
        this.log.info({ companyId: id, ...result }, 'stripe reconciliation');
      } catch (e) {
        this.log.warn({ companyId: id, err: e }, 'stripe reconciliation failed');
      }
    }
    return companies.length;
  }
}
