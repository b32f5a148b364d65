import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LOGGER } from '../../../core/tokens.js';
import { DomainError, invalid } from '../../../../libs/http/domain-error.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import type { ReviewAction } from '../../domain/review.js';
import { ReviewCommission } from './review-commission.handler.js';

export const MAX_BULK_REVIEW_ITEMS = 100;
export const MAX_DECLINE_REASON = 500;

export interface BulkReviewResult {
  index: number;
  ok: boolean;
  commissionId: string | null;
  action: string | null;
  error?: string;
  code?: string;
}

export class BulkReviewCommissions {
  constructor(
    readonly companyId: string,
    readonly items: unknown[],
  ) {}
}

/** One row: `{commissionId, action: approve|decline, reason?}`; a decline needs a reason. */
export function parseReviewRow(raw: unknown): { commissionId: string; review: ReviewAction } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('items', 'each row must be an object {commissionId, action, reason?}');
  const r = raw as Record<string, unknown>;
  if (typeof r.commissionId !== 'string' || !/^[A-Za-z0-9_:-]{1,200}$/.test(r.commissionId))
    throw invalid('commissionId', 'commissionId must be a commission id');
  if (r.action === 'approve') return { commissionId: r.commissionId, review: { action: 'approve' } };
  if (r.action !== 'decline') throw invalid('action', 'action must be "approve" or "decline"');
  const reason = typeof r.reason === 'string' ? r.reason.trim() : '';
  if (!reason) throw invalid('reason', 'a decline needs a reason');
  if (reason.length > MAX_DECLINE_REASON) throw invalid('reason', `reason may be at most ${MAX_DECLINE_REASON} characters`);
  return { commissionId: r.commissionId, review: { action: 'decline', reason } };
}

/** Reviews each row on its own, in order: a bad row never stops the others. Answers one result per row. */
@CommandHandler(BulkReviewCommissions)
export class BulkReviewCommissionsHandler implements ICommandHandler<BulkReviewCommissions, BulkReviewResult[]> {
  constructor(
    private readonly commands: CommandBus,
    private readonly es: EventSourcing,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async execute(cmd: BulkReviewCommissions): Promise<BulkReviewResult[]> {
    if (cmd.items.length === 0) throw invalid('items', 'items must list at least one row');
    if (cmd.items.length > MAX_BULK_REVIEW_ITEMS) throw invalid('items', `items may list at most ${MAX_BULK_REVIEW_ITEMS} rows`);
    const results: BulkReviewResult[] = [];
    let checkpoint: string | undefined;
    for (const [index, raw] of cmd.items.entries()) {
      const r = raw as Record<string, unknown> | null;
      const commissionId = typeof r?.commissionId === 'string' ? r.commissionId.slice(0, 200) : null;
      const action = r?.action === 'approve' || r?.action === 'decline' ? r.action : null;
      try {
        const row = parseReviewRow(raw);
        const done = await this.commands.execute<ReviewCommission, { checkpoint?: string }>(new ReviewCommission(cmd.companyId, row.commissionId, row.review));
        checkpoint = done.checkpoint ?? checkpoint;
        results.push({ index, ok: true, commissionId, action });
      } catch (e) {
        if (!(e instanceof DomainError)) this.log.error({ err: e, index }, 'bulk review row failed');
        results.push({
          index,
          ok: false,
          commissionId,
          action,
          error: e instanceof DomainError ? e.message : 'unexpected error; retry this row',
          code: e instanceof DomainError ? e.code : 'internal',
        });
      }
    }
    await this.es.settle(checkpoint);
    return results;
  }
}
