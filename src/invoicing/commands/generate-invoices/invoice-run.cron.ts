import { Inject, Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import type { LeaderLock } from '../../../../libs/event-store/leader-lock.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { LEADER, LOGGER, ORM } from '../../../core/tokens.js';
import { DEFAULT_SCHEDULE, type InvoiceSchedule } from '../../../companies/domain/company.js';
import { isInvoiceDay } from '../../domain/invoice-run.js';
import { InvoiceRunService } from './invoice-run.service.js';

/**
 * Hourly on the leader: every company whose invoice day it is gets its run for the period that just ended.
 * Re-running within the day finds the period invoiced; a void waits for the next period or a manual run.
 */
@Injectable()
export class InvoiceRunCron {
  constructor(
    private readonly runs: InvoiceRunService,
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Cron(CronExpression.EVERY_HOUR)
  async tick(): Promise<void> {
    if (!this.leader.held) return;
    await this.runDue(new Date());
  }

  /** Runs every due company (not waiting for a run another process holds); answers how many invoices it made. */
  async runDue(now: Date): Promise<number> {
    const companies = await readSql(this.orm).query<{ id: string; invoice_schedule: InvoiceSchedule | null }>('select id, invoice_schedule from companies order by id');
    let created = 0;
    for (const c of companies.filter((x) => isInvoiceDay(x.invoice_schedule ?? DEFAULT_SCHEDULE, now))) {
      try {
        const result = await this.runs.generate(c.id, { now, wait: false });
        created += result?.created.length ?? 0;
        if (result) this.log.info({ companyId: c.id, periodEnd: result.periodEnd, created: result.created.length, skipped: result.skipped.length }, 'invoice run');
      } catch (err) {
        this.log.error({ companyId: c.id, err }, 'invoice run failed');
      }
    }
    return created;
  }
}
