import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Cron } from '@nestjs/schedule';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import type { LeaderLock } from '../../../../libs/event-store/leader-lock.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { LEADER, LOGGER, ORM } from '../../../core/tokens.js';
import { ReconcileStripeEvents } from './reconcile.handler.js';

/** Daily reconciliation of every company that stored an API key; only the leader runs it. */
@Injectable()
export class ReconcileCron {
  constructor(
    private readonly commands: CommandBus,
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Cron('0 17 3 * * *', { name: 'stripe-reconcile' })
  async daily(): Promise<number> {
    if (!this.leader.held) return 0;
    const companies = await readSql(this.orm).query<{ id: string }>('select id from companies where api_key_encrypted is not null order by position');
    for (const { id } of companies) {
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
