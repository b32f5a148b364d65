import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { compareCheckpoints } from '../../../libs/event-store/event-store.port.js';
import { readSql } from '../../../libs/database/sql.js';
import type { SubscriptionRunner } from '../../../libs/event-store/subscription-runner.js';
import { ORM, RUNNER } from '../../core/tokens.js';

/** Reactors read other modules' read models through their query ports: first those models must have applied the event. */
@Injectable()
export class ReadModels {
  constructor(@Inject(ORM) private readonly orm: MikroORM, @Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  /**
   * Resolves once every named projection has applied `checkpoint` (or is failed: its parked events are the operator's
   * to settle). Looked at once without waking anyone, since projections are usually ahead of reactors.
   */
  async at(checkpoint: string, names: string[]): Promise<void> {
    const rows = await readSql(this.orm).query<{ checkpoint: string; status: string }>('select checkpoint, status from es_checkpoints where name = any($1)', [names]);
    if (rows.length === names.length && rows.every((r) => r.status === 'failed' || compareCheckpoints(r.checkpoint, checkpoint) >= 0)) return;
    if (!(await this.runner.waitFor(checkpoint, 10_000, names))) throw new Error(`read models ${names.join(', ')} have not reached ${checkpoint} after 10 s`);
  }
}
