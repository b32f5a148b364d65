import { Inject, Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LEADER, LOGGER, ORM } from '../../../core/tokens.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { readSql } from '../../../../libs/database/sql.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import type { LeaderLock } from '../../../../libs/event-store/leader-lock.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { DEFAULT_SCHEDULE, type InvoiceSchedule } from '../../../shared-kernel/invoice-schedule.js';
import { periodEndingBefore } from '../../domain/invoice-run.js';
import { evolveScheduledRuns, initialScheduledRuns, isDue, scheduledRunsStream, type ScheduledInvoiceRunCompleted } from '../../domain/scheduled-runs.js';
import { InvoiceRunService } from './invoice-run.service.js';

/**
 * The schedule: hourly on the leader, each company whose latest period (in its time zone) has not run yet is run and
 * the run recorded on its `invoiceschedule-` stream, so a day missed is caught up at the next tick and a period runs
 * once (a voided invoice is not brought back by the next tick).
 */
@Injectable()
export class InvoiceRunCron {
  constructor(
    private readonly runs: InvoiceRunService,
    private readonly es: EventSourcing,
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
    const companies = await readSql(this.orm).query<{ id: string; invoice_schedule: InvoiceSchedule | null }>(
      'select id, invoice_schedule from companies order by id',
    );
    let created = 0;
    for (const c of companies) {
      try {
        created += await this.runIfDue(c.id, periodEndingBefore(c.invoice_schedule ?? DEFAULT_SCHEDULE, now), now);
      } catch (err) {
        this.log.error({ companyId: c.id, err }, 'invoice run failed');
      }
    }
    return created;
  }

  private async runIfDue(companyId: string, periodEnd: string, now: Date): Promise<number> {
    const streamId = scheduledRunsStream(companyId);
    const { state, version } = await this.es.load(streamId, initialScheduledRuns, evolveScheduledRuns);
    if (!isDue(state, periodEnd)) return 0;
    const result = await this.runs.generate(companyId, { periodEnd, now, wait: false });
    if (!result) return 0;
    this.log.info({ companyId, periodEnd, created: result.created.length, skipped: result.skipped.length }, 'invoice run');
    const done: ScheduledInvoiceRunCompleted = { type: 'ScheduledInvoiceRunCompleted', data: { companyId, periodEnd, created: result.created.length } };
    await this.es.append(streamId, [done], version).catch((e) => {
      if (!(e instanceof WrongExpectedVersion)) throw e;
    });
    return result.created.length;
  }
}
