import { Inject, Injectable } from '@nestjs/common';
import { compareCheckpoints } from '../../../libs/event-store/event-store.port.js';
import { allReached } from '../../../libs/event-store/checkpoint-store.js';
import type { SubscriptionRunner } from '../../../libs/event-store/subscription-runner.js';
import { RUNNER } from '../../core/tokens.js';

/** Reactors read other modules' read models through their query ports: first those models must have applied the event. */
@Injectable()
export class ReadModels {
  /** The furthest checkpoint each projection was seen at while running: below it, no need to ask again. */
  private readonly seen = new Map<string, string>();

  constructor(@Inject(RUNNER) private readonly runner: SubscriptionRunner) {}

  /**
   * Resolves once every named projection has applied `checkpoint` (or is failed: its parked events are the operator's
   * to settle). Looked at once without waking anyone, since projections are usually ahead of reactors. `remember`:
   * trust a position seen before, for reads whose miss is an error (then `forget`); a rebuild restarts a projection
   * behind it, so a read whose miss would silently mean "nothing" must ask every time.
   */
  async at(checkpoint: string, names: string[], remember = true): Promise<void> {
    if (remember && names.every((n) => this.seen.has(n) && compareCheckpoints(this.seen.get(n)!, checkpoint) >= 0)) return;
    const positions = await this.runner.checkpoints.positions(names);
    for (const p of positions) if (p.status === 'running') this.seen.set(p.name, p.checkpoint);
    if (allReached(positions, names, checkpoint)) return;
    if (!(await this.runner.waitFor(checkpoint, 10_000, names))) throw new Error(`read models ${names.join(', ')} have not reached ${checkpoint} after 10 s`);
  }

  /** A read was missing what the event made (a rebuild restarted the projection): ask the database again next time. */
  forget(names: string[]): void {
    for (const n of names) this.seen.delete(n);
  }
}
