import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { readSql } from '../../libs/database/sql.js';
import { Public } from '../../libs/http/auth.js';
import { EVENT_STORE, ORM, RUNNER } from '../core/tokens.js';

/** How long a check may take before it counts as down: a frozen database must not hang the answer. */
const CHECK_TIMEOUT_MS = 2_000;

type Subscriptions = { lag: number; failed: string[]; parked: Record<string, number> } | { error: string };

@ApiTags('health')
@Controller('health')
export class HealthController {
  /** Checks still running: a caller arriving meanwhile shares them, so a hung dependency holds one connection, not one per caller. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ description: '{status: ok | degraded, database, eventStore, projections: {lag, failed, parked}}; degraded: a projection or reactor has parked events or cannot process its pages' })
  @ApiServiceUnavailableResponse({ description: 'the database or event store does not answer (within 2 s)' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, eventStore, projections] = await Promise.all([
      this.check('database', () => readSql(this.orm).query('select 1')).then(up),
      this.check('eventStore', () => this.store.ping()).then(up),
      this.check('subscriptions', () => this.subscriptions()).then((r) => ('error' in r ? { error: r.error } : (r.value as Subscriptions))),
    ]);
    const available = database === 'up' && eventStore === 'up';
    const degraded = 'error' in projections || projections.failed.length > 0;
    res.status(available ? 200 : 503);
    return { status: !available ? 'unavailable' : degraded ? 'degraded' : 'ok', database, eventStore: { adapter: this.store.name, status: eventStore }, projections };
  }

  private async subscriptions(): Promise<Subscriptions> {
    const statuses = await this.runner.status({ checksum: false });
    const parked = Object.fromEntries(statuses.filter((s) => s.parked > 0).map((s) => [s.name, s.parked]));
    return { lag: Math.max(0, ...statuses.map((s) => s.lag)), failed: statuses.filter((s) => s.status === 'failed').map((s) => s.name), parked };
  }

  private check(name: string, fn: () => Promise<unknown>): Promise<{ value: unknown } | { error: string }> {
    let pending = this.running.get(name);
    if (!pending) {
      pending = fn().finally(() => this.running.delete(name));
      this.running.set(name, pending);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
    return Promise.race([pending, timeout]).then(
      (value) => ({ value }),
      (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
    ).finally(() => clearTimeout(timer));
  }
}

const up = (r: { value: unknown } | { error: string }): 'up' | 'down' => ('error' in r ? 'down' : 'up');
