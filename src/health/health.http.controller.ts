import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { readSql } from '../../libs/database/sql.js';
import { Public } from '../../libs/http/auth.js';
import type { AppConfig } from '../../libs/config/config.js';
import { CONFIG, EVENT_STORE, ORM, RUNNER } from '../core/tokens.js';
import { migrations } from '../migrations.js';

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
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process answers: nothing else is asked, so a slow database never makes a supervisor restart it. */
  @Get('live')
  @Public()
  @ApiOkResponse({ description: '{status: live}' })
  live() {
    return { status: 'live' };
  }

  /** Whether to send this process work: its database and event store answer, every migration it knows is applied, and (worker, all) its runner started. */
  @Get('ready')
  @Public()
  @ApiOkResponse({ description: '{status: ready, role, database, eventStore, migrations, runner}' })
  @ApiServiceUnavailableResponse({ description: 'not ready: the same fields say which check failed' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const names = migrations.map((m) => m.name);
    const [database, eventStore, applied] = await Promise.all([
      this.check('database', () => readSql(this.orm).query('select 1')).then(up),
      this.check('eventStore', () => this.store.ping()).then(up),
      this.check('migrations', () =>
        readSql(this.orm).query<{ n: number }>('select count(distinct name)::int as n from schema_migrations where name = any($1)', [names]),
      ),
    ]);
    const migrationsState = 'error' in applied ? 'unknown' : (applied.value as { n: number }[])[0]!.n === names.length ? 'applied' : 'pending';
    const runner = !this.config.runBackgroundJobs ? 'not_run_here' : this.runner.started ? 'started' : 'stopped';
    const ready = database === 'up' && eventStore === 'up' && migrationsState === 'applied' && runner !== 'stopped';
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', role: this.config.role, database, eventStore, migrations: migrationsState, runner };
  }

  @Get()
  @Public()
  @ApiOkResponse({
    description:
      '{status: ok | degraded, database, eventStore, projections: {lag, failed, parked}}; degraded: a projection or reactor has parked events or cannot process its pages',
  })
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
    return {
      status: !available ? 'unavailable' : degraded ? 'degraded' : 'ok',
      database,
      eventStore: { adapter: this.store.name, status: eventStore },
      projections,
    };
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
    return Promise.race([pending, timeout])
      .then(
        (value) => ({ value }),
        (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => clearTimeout(timer));
  }
}

const up = (r: { value: unknown } | { error: string }): 'up' | 'down' => ('error' in r ? 'down' : 'up');
