import { Inject, Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { LeaderLock } from '../../libs/event-store/leader-lock.js';
import type { Logger } from '../../libs/logging/logger.js';
import { LEADER, LOGGER } from '../core/tokens.js';
import { IdempotencyStore } from './idempotency-store.js';

/** Hourly on the leader: keys older than 24 h are deleted (claims already ignore them, so this only frees space). */
@Injectable()
export class IdempotencyPurgeCron {
  constructor(
    private readonly store: IdempotencyStore,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'idempotency-key-purge' })
  async tick(): Promise<void> {
    if (!this.leader.held) return;
    await this.store.purgeExpired().catch((err: unknown) => this.log.error({ err }, 'idempotency key purge failed'));
  }
}
