import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { compareCheckpoints } from '../../../libs/event-store/event-store.port.js';
import { readSql } from '../../../libs/database/sql.js';
import type { SubscriptionRunner } from '../../../libs/event-store/subscription-runner.js';
import { ORM, RUNNER } from '../../core/tokens.js';

/** Reactors read other modules' read models through their query ports: first those models must have applied the event. */
@Injectable()
export class ReadModels {
  /** The furthest checkpoint each projection was seen at while running: below it, no need to ask again. */
  private readonly seen = new Map<string, string>();

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  /**
   * Resolves once every named projection has applied `checkpoint` (or is failed: its parked events are the operator's
   * to settle). Looked at once without waking anyone, since projections are usually ahead of reactors. `remember`:
   * trust a position seen before, for reads whose miss is an error (then `forget`); a rebuild restarts a projection
   * behind it, so a read whose miss would silently mean "nothing" must ask every time.
   */
  async at(checkpoint: string, names: string[], remember = true): Promise<void> {
    if (remember && names.every((n) => this.seen.has(n) && compareCheckpoints(this.seen.get(n)!, checkpoint) >= 0)) return;
    const rows = await readSql(this.orm).query<{ name: string; checkpoint: string; status: string }>(
      'select name, checkpoint, status from es_checkpoints where name = any($1)',
      [names],
    );
    for (const r of rows) if (r.status === 'running') this.seen.set(r.name, r.checkpoint);
    if (rows.length === names.length && rows.every((r) => r.status === 'failed' || compareCheckpoints(r.checkpoint, checkpoint) >= 0)) return;
    if (!(await this.runner.waitFor(checkpoint, 10_000, names))) throw new Error(`read models ${names.join(', ')} have not reached ${checkpoint} after 10 s`);
  }

  /** A read was missing what the event made (a rebuild restarted the projection): ask the database again next time. */
  forget(names: string[]): void {
    for (const n of names) this.seen.delete(n);
  }
}
