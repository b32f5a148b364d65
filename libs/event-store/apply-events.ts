import type { RecordedEvent } from './event-store.port.js';
import type { Projection } from './subscriptions.js';
import type { Sql } from '../database/sql.js';

export interface Applied {
  /** Events whose `apply` threw (each rolled back to its own savepoint): the runner parks them. */
  failed: { event: RecordedEvent; error: unknown }[];
  /** Events of a stream with a failed or parked event before them, not applied: they wait behind it. */
  held: RecordedEvent[];
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Applies a page inside the caller's transaction: all at once under one savepoint; if that fails,
 * again one event per savepoint, so a failing event is named and the events after it still apply.
 * Events of a stream in `parkedStreams`, or of a stream whose event failed earlier in the page, are
 * held back (not applied): a stream's events apply in order or not at all.
 */
export async function applyEvents(p: Projection, all: readonly RecordedEvent[], sql: Sql, parkedStreams: ReadonlySet<string> = NONE): Promise<Applied> {
  const events = readBy(p, all);
  const ready = parkedStreams.size ? events.filter((e) => !parkedStreams.has(e.streamId)) : events;
  try {
    await sql.query('savepoint apply_batch');
    await applyAll(p, ready, sql);
    await sql.query('release savepoint apply_batch');
    return { failed: [], held: parkedStreams.size ? events.filter((e) => parkedStreams.has(e.streamId)) : [] };
  } catch {
    await sql.query('rollback to savepoint apply_batch');
  }
  const blocked = new Set(parkedStreams);
  const applied: Applied = { failed: [], held: [] };
  for (const event of events) {
    if (blocked.has(event.streamId)) {
      applied.held.push(event);
      continue;
    }
    try {
      await sql.query('savepoint apply_one');
      await p.apply(event, sql);
      await sql.query('release savepoint apply_one');
    } catch (error) {
      await sql.query('rollback to savepoint apply_one');
      applied.failed.push({ event, error });
      blocked.add(event.streamId);
    }
  }
  return applied;
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
