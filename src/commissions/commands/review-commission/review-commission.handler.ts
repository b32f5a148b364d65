import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { ORM, RUNNER } from '../../../core/tokens.js';
import { readSql } from '../../../../libs/database/sql.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { commissionStream, evolveCommission, initialCommission } from '../../domain/commission.js';
import { isResourceId } from '../../../shared-kernel/resource-id.js';
import { decideReview, type InvoiceStanding, type ReviewAction } from '../../domain/review.js';

export class ReviewCommission {
  constructor(
    readonly companyId: string,
    readonly commissionId: string,
    readonly review: ReviewAction,
  ) {}
}

/**
 * Approves or declines one commission (SPEC §11): decided on its stream, appended at the version read. Whether invoicing
 * holds it comes from the commissions read model, waited for until it has the commission (a pending_review commission
 * can never be on an invoice, so that read cannot race a review). Answers the checkpoint of what it appended, if anything.
 */
@CommandHandler(ReviewCommission)
export class ReviewCommissionHandler implements ICommandHandler<ReviewCommission, { checkpoint?: string }> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  async execute({ companyId, commissionId, review }: ReviewCommission): Promise<{ checkpoint?: string }> {
    if (!isResourceId(commissionId)) throw notFound('commission', commissionId);
    const ids = { commissionId, companyId };
    const { checkpoint } = await this.es.execute(commissionStream(companyId, commissionId), initialCommission, evolveCommission, async (state) => {
      if (!state.exists) throw notFound('commission', commissionId);
      const decided = decideReview(state, ids, review, this.es.clock.now(), await this.standing(companyId, commissionId));
      if ('refused' in decided) throw conflict(decided.refused.code, decided.refused.detail, { commissionId });
      return { events: decided.events };
    });
    return { checkpoint };
  }

  private async standing(companyId: string, commissionId: string): Promise<InvoiceStanding> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const [row] = await readSql(this.orm).query<{ status: string }>('select status from commissions where company_id = $1 and id = $2', [
        companyId,
        commissionId,
      ]);
      if (row) return row.status === 'invoiced' || row.status === 'paid' ? row.status : null;
      await this.runner.waitFor((await this.es.store.head()).checkpoint, 10_000, ['commissions']);
    }
    throw new Error(`commission ${commissionId}: not in the commissions read model yet; retry`);
  }
}
