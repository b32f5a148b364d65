import type { RecordedEvent } from './event-store.port.js';
import type { Projection } from './subscriptions.js';
import type { Sql } from '../database/sql.js';

export interface Applied {
  /** How many events from the start of the batch are applied. */
  applied: number;
  failed?: { event: RecordedEvent; error: unknown };
}

/**
 * Applies a page inside the caller's transaction: all at once under one savepoint; if that fails,
 * again one event per savepoint, to keep the events before the failing one and name it.
 */
export async function applyEvents(p: Projection, all: readonly RecordedEvent[], sql: Sql): Promise<Applied> {
  const events = readBy(p, all);
  const appliedUpTo = (n: number) => (n === events.length ? all.length : all.indexOf(events[n]!));
  try {
    await sql.query('savepoint apply_batch');
    await applyAll(p, events, sql);
    await sql.query('release savepoint apply_batch');
    return { applied: all.length };
  } catch {
    await sql.query('rollback to savepoint apply_batch');
  }
  for (let i = 0; i < events.length; i++) {
    try {
      await sql.query('savepoint apply_one');
      await p.apply(events[i]!, sql);
      await sql.query('release savepoint apply_one');
    } catch (error) {
      await sql.query('rollback to savepoint apply_one');
      return { applied: appliedUpTo(i), failed: { event: events[i]!, error } };
    }
  }
  return { applied: all.length };
}

const typeSets = new WeakMap<Projection, ReadonlySet<string>>();

function typesOf(p: Projection): ReadonlySet<string> {
  let types = typeSets.get(p);
  if (!types) typeSets.set(p, (types = new Set(p.types)));
  return types;
}

/** The events of the types the projection reads (the others only move its checkpoint). */
function readBy(p: Projection, events: readonly RecordedEvent[]): readonly RecordedEvent[] {
  const types = typesOf(p);
  return events.filter((e) => types.has(e.type));
}

/** Whether any of the events is of a type the projection reads. */
export function readsAny(p: Projection, events: readonly RecordedEvent[]): boolean {
  const types = typesOf(p);
  return events.some((e) => types.has(e.type));
}

/**
 * Events of `batchTypes` gather into runs for `applyBatch`; any other event goes to `apply` with an
 * `Sql` that first writes the pending run, so order holds, and an event `apply` ignores (no query)
 * does not cut the run.
 */
async function applyAll(p: Projection, events: readonly RecordedEvent[], sql: Sql): Promise<void> {
  const batchTypes = new Set(p.applyBatch ? p.batchTypes : []);
  let run: RecordedEvent[] = [];
  const flush = async () => {
    if (run.length === 0) return;
    const pending = run;
    run = [];
    await p.applyBatch!(pending, sql);
  };
  const afterRun: Sql = {
    async query(text, params) {
      await flush();
      return sql.query(text, params);
    },
  };
  for (const event of events) {
    if (batchTypes.has(event.type)) run.push(event);
    else await p.apply(event, afterRun);
  }
  await flush();
}
