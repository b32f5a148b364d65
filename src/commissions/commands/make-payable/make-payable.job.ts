import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { MikroORM } from '@mikro-orm/postgresql';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LEADER, LOGGER, ORM, RUNNER } from '../../../core/tokens.js';
import { readSql } from '../../../../libs/database/sql.js';
import type { LeaderLock } from '../../../../libs/event-store/leader-lock.js';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { commissionStream, decideBecamePayable, evolveCommission, initialCommission } from '../../domain/commission.js';

type Row = { id: string; company_id: string; partner_id: string; payable_at: Date; version: number };

/**
 * Moves commissions whose hold period is over from pending to payable. Reads derive `payable` from payableAt
 * already; this records the fact in each commission's stream. Leader only; a batch at a time (see `append`).
 */
@Injectable()
export class MakePayableJob {
  constructor(
    private readonly es: EventSourcing,
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Cron(CronExpression.EVERY_5_MINUTES)
  async tick(): Promise<void> {
    if (!this.leader.held) return;
    await this.run(this.es.clock.now()).catch((err) => this.log.error({ err }, 'make-payable job failed'));
  }

  async run(now: Date, batch = 500): Promise<number> {
    let moved = 0;
    for (let round = 0; round < 200; round++) {
      const rows = await readSql(this.orm).query<Row>(
        `select id, company_id, partner_id, payable_at, version from commissions where status = 'pending' and payable_at <= $1 order by payable_at, id limit $2`,
        [now, batch],
      );
      if (rows.length === 0) break;
      moved += await this.append(rows, now);
      await this.runner.waitFor((await this.es.store.head()).checkpoint, 10_000, ['commissions']);
      if (rows.length < batch) break;
    }
    return moved;
  }

  /**
   * One decision over the batch, on the state each row shows at the version the read model applied (no read), appended at
   * those versions; a commission that changed meanwhile has the primitive take the decision again on the streams' reads.
   */
  private async append(rows: Row[], now: Date): Promise<number> {
    const { appended } = await this.es.handle(randomUUID(), async (ctx) => {
      const loaded = await Promise.all(
        rows.map((r) => {
          const shown = {
            ...initialCommission,
            exists: true,
            status: 'pending' as const,
            partnerId: r.partner_id,
            payableAt: new Date(r.payable_at).toISOString(),
          };
          return ctx.assume(commissionStream(r.company_id, r.id), { state: shown, version: r.version }, initialCommission, evolveCommission);
        }),
      );
      rows.forEach((r, i) => {
        const { state, version } = loaded[i]!;
        ctx.appendRaw(commissionStream(r.company_id, r.id), decideBecamePayable(state, { commissionId: r.id, companyId: r.company_id }, now), version);
      });
    });
    return appended;
  }
}
