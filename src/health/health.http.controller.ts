import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import { readSql } from '../../libs/database/sql.js';
import { Public } from '../../libs/http/auth.js';
import { EVENT_STORE, ORM, RUNNER } from '../core/tokens.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ description: '{status, database, eventStore, projections:{lag, failed}}' })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down' })
  async health(@Res({ passthrough: true }) res: Response) {
    const database = await check(() => readSql(this.orm).query('select 1'));
    const eventStore = await check(() => this.store.ping());
    const projections = await this.projectionLag();
    const ok = database === 'up' && eventStore === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', database, eventStore: { adapter: this.store.name, status: eventStore }, projections };
  }

  private async projectionLag(): Promise<{ lag: number; failed: string[] } | { error: string }> {
    try {
      const rows = await readSql(this.orm).query<{ name: string; checkpoint: string; status: string }>('select name, checkpoint, status from es_checkpoints');
      const head = await this.store.head();
      const behind = rows.filter((r) => r.checkpoint !== head.checkpoint && this.runner.names.includes(r.name));
      const lag = behind.length ? Math.max(...(await Promise.all(behind.map((r) => this.store.countAfter(r.checkpoint))))) : 0;
      return { lag, failed: rows.filter((r) => r.status === 'failed').map((r) => r.name) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
}

async function check(fn: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await fn();
    return 'up';
  } catch {
    return 'down';
  }
}
