import type { RecordedEvent } from '../../libs/event-store/event-store.port.js';
import type { Projection } from '../../libs/event-store/subscriptions.js';
import type { Sql } from '../../libs/database/sql.js';

/** As the runner does: runs of `batchTypes` events to `applyBatch`, any other event to `apply`. */
export async function applyInRuns(p: Projection, events: readonly RecordedEvent[], sql: Sql): Promise<void> {
  const types = new Set(p.batchTypes);
  let run: RecordedEvent[] = [];
  for (const e of events) {
    if (types.has(e.type)) {
      run.push(e);
      continue;
    }
    if (run.length) await p.applyBatch!(run, sql);
    run = [];
    await p.apply(e, sql);
  }
  if (run.length) await p.applyBatch!(run, sql);
}
