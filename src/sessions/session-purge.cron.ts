import { Inject, Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { LeaderLock } from '../../libs/event-store/leader-lock.js';
import type { Logger } from '../../libs/logging/logger.js';
import { CLOCK, LEADER, LOGGER } from '../core/tokens.js';
import type { Clock } from '../../libs/event-store/command-handling.js';
import { SessionStore } from './session-store.js';

/** Hourly on the leader: expired sessions and login links are deleted. */
@Injectable()
export class SessionPurgeCron {
  constructor(
    private readonly store: SessionStore,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'session-purge' })
  async tick(): Promise<void> {
    if (!this.leader.held) return;
    await this.store.purgeExpired(this.clock.now()).catch((err: unknown) => this.log.error({ err }, 'session purge failed'));
  }
}
