import type { RecordedEvent } from './event-store.port.js';
import type { Sql } from '../database/sql.js';

/**
 * Dead letters of the subscription runner. An event a projection or reactor cannot process is `parked`
 * with its error, and the subscriber goes on. Events after it with the same key (a projection's stream,
 * a reactor's partition key or, without one, its stream) are `waiting` behind it, not processed, so
 * one key's events are processed in order or not at all. The operator asks for a `retry` or a `skip`
 * of a parked event; the subscriber's own loop carries it out (`retry_requested` → `resolved`, or
 * `parked` again with the new error; `skip_requested` → `skipped`), then releases the events waiting
 * behind it in order, until one fails (it becomes the parked one). A rebuild forgets a projection's rows.
 */
export type ParkedStatus = 'parked' | 'waiting' | 'retry_requested' | 'skip_requested' | 'resolved' | 'skipped';

export const OPEN_STATUSES: readonly ParkedStatus[] = ['parked', 'waiting', 'retry_requested', 'skip_requested'];

export interface ParkedEvent {
  id: string;
  subscriber: string;
  status: ParkedStatus;
  globalPosition: number;
  checkpoint: string;
  streamId: string;
  version: number;
  eventType: string;
  /** Events with this key wait behind the earliest open one; null: the event holds up nothing. */
  key: string | null;
  error: string;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
  resolvedAt: string | null;
}

type Row = {
  id: string;
  subscriber: string;
  status: ParkedStatus;
  global_position: string;
  checkpoint: string;
  stream_id: string;
  version: number;
  event_type: string;
  park_key: string | null;
  error: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  resolved_at: Date | null;
};

const OPEN = `status not in ('resolved', 'skipped')`;
/** Errors are kept readable, not whole: a hostile payload may make a long message. */
const MAX_ERROR = 2_000;

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR);

export function toParkedEvent(r: Row): ParkedEvent {
  return {
    id: String(r.id),
    subscriber: r.subscriber,
    status: r.status,
    globalPosition: Number(r.global_position),
    checkpoint: r.checkpoint,
    streamId: r.stream_id,
    version: r.version,
    eventType: r.event_type,
    key: r.park_key,
    error: r.error,
    attempts: r.attempts,
    firstFailedAt: new Date(r.first_failed_at).toISOString(),
    lastFailedAt: new Date(r.last_failed_at).toISOString(),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
  };
}

/** What a subscriber must hold back: the earliest open position per key, and every open position. */
export interface OpenParked {
  keys: Map<string, number>;
  positions: Set<number>;
}

/** Whether `event` (of `key`) must not be processed now: it is parked already, or an earlier event of its key is. */
export function isHeld(open: OpenParked, event: RecordedEvent, key: string | null): boolean {
  if (open.positions.has(event.globalPosition)) return true;
  if (key === null) return false;
  const first = open.keys.get(key);
  return first !== undefined && first <= event.globalPosition;
}

export const parkedEvents = {
  async open(sql: Sql, subscriber: string): Promise<OpenParked> {
    const rows = await sql.query<{ park_key: string | null; global_position: string }>(
      `select park_key, global_position from es_parked_events where subscriber = $1 and ${OPEN}`,
      [subscriber],
    );
    const open: OpenParked = { keys: new Map(), positions: new Set() };
    for (const r of rows) {
      const at = Number(r.global_position);
      open.positions.add(at);
      if (r.park_key !== null && !(open.keys.get(r.park_key)! <= at)) open.keys.set(r.park_key, at);
    }
    return open;
  },

  /** Records a failure of `event`: a new parked row, or one more attempt of a row already there. */
  async park(sql: Sql, subscriber: string, event: RecordedEvent, key: string | null, error: unknown): Promise<void> {
    await sql.query(
      `insert into es_parked_events (subscriber, status, global_position, checkpoint, stream_id, version, event_type, park_key, error)
       values ($1, 'parked', $2, $3, $4, $5, $6, $7, $8)
       on conflict (subscriber, global_position) do update set status = 'parked', error = excluded.error, attempts = es_parked_events.attempts + 1,
         last_failed_at = clock_timestamp(), resolved_at = null`,
      [subscriber, event.globalPosition, event.checkpoint, event.streamId, event.version, event.type, key, errorText(error)],
    );
  },

  /** Records `events` as waiting behind the parked events of their keys (nothing changes for an event already recorded). */
  async hold(sql: Sql, subscriber: string, events: readonly { event: RecordedEvent; key: string | null }[]): Promise<void> {
    if (events.length === 0) return;
    await sql.query(
      `insert into es_parked_events (subscriber, status, global_position, checkpoint, stream_id, version, event_type, park_key, error)
       select $1, 'waiting', p, c, s, v, t, k, 'waits behind an earlier parked event of ' || coalesce(k, s)
       from unnest($2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[]) as x(p, c, s, v, t, k)
       on conflict (subscriber, global_position) do nothing`,
      [
        subscriber,
        ...['globalPosition', 'checkpoint', 'streamId', 'version', 'type'].map((f) => events.map((e) => e.event[f as keyof RecordedEvent])),
        events.map((e) => e.key),
      ],
    );
  },

  async get(sql: Sql, id: string): Promise<ParkedEvent | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const [row] = await sql.query<Row>('select * from es_parked_events where id = $1', [id]);
    return row && toParkedEvent(row);
  },

  /** Newest first; `status` 'open' is every row not resolved or skipped. `before`: an id, for the next page. */
  async list(sql: Sql, opts: { subscriber?: string; status?: ParkedStatus | 'open'; before?: string; limit: number }): Promise<ParkedEvent[]> {
    const rows = await sql.query<Row>(
      `select * from es_parked_events
       where ($1::text is null or subscriber = $1) and ($3::bigint is null or id < $3)
         and (case when $2::text is null then true when $2 = 'open' then ${OPEN} else status = $2 end)
       order by id desc limit $4`,
      [opts.subscriber ?? null, opts.status ?? null, opts.before ?? null, opts.limit],
    );
    return rows.map(toParkedEvent);
  },

  /**
   * Asks the subscriber to retry or skip a parked event. Refused for an event waiting behind another (retry
   * or skip that one) and for one already resolved or skipped; a retry already asked for is no error.
   */
  async request(sql: Sql, id: string, action: 'retry' | 'skip'): Promise<{ event?: ParkedEvent; refused?: 'waiting' | 'settled' }> {
    if (!/^\d{1,18}$/.test(id)) return {};
    const requested = action === 'retry' ? 'retry_requested' : 'skip_requested';
    const [row] = await sql.query<Row>(`update es_parked_events set status = $2 where id = $1 and status in ('parked', $2) returning *`, [id, requested]);
    if (row) return { event: toParkedEvent(row) };
    const event = await this.get(sql, id);
    return { event, refused: event ? (event.status === 'resolved' || event.status === 'skipped' ? 'settled' : 'waiting') : undefined };
  },

  /** Retries and skips the operator asked for, oldest event first. */
  async requested(sql: Sql, subscriber: string): Promise<ParkedEvent[]> {
    const rows = await sql.query<Row>(
      `select * from es_parked_events where subscriber = $1 and status in ('retry_requested', 'skip_requested') order by global_position`,
      [subscriber],
    );
    return rows.map(toParkedEvent);
  },

  /** The earliest open event of `key`, if any. */
  async firstOpen(sql: Sql, subscriber: string, key: string): Promise<ParkedEvent | undefined> {
    const [row] = await sql.query<Row>(`select * from es_parked_events where subscriber = $1 and park_key = $2 and ${OPEN} order by global_position limit 1`, [
      subscriber,
      key,
    ]);
    return row && toParkedEvent(row);
  },

  async settle(sql: Sql, id: string, status: 'resolved' | 'skipped'): Promise<void> {
    await sql.query(`update es_parked_events set status = $2, resolved_at = clock_timestamp() where id = $1`, [id, status]);
  },

  async failedAgain(sql: Sql, id: string, error: unknown): Promise<void> {
    await sql.query(`update es_parked_events set status = 'parked', error = $2, attempts = attempts + 1, last_failed_at = clock_timestamp() where id = $1`, [
      id,
      errorText(error),
    ]);
  },

  /** Forgets every row of these subscribers (a rebuild replays their events from the start). */
  async forget(sql: Sql, subscribers: readonly string[]): Promise<void> {
    await sql.query('delete from es_parked_events where subscriber = any($1)', [subscribers]);
  },

  /** Per subscriber: how many events are open, and the latest error among them. */
  async summary(sql: Sql, subscribers: readonly string[]): Promise<Map<string, { open: number; lastError: string | null }>> {
    const rows = await sql.query<{ subscriber: string; open: number; last_error: string | null }>(
      `select subscriber, count(*)::int as open,
              (array_agg('event ' || global_position || ' (' || event_type || ' in ' || stream_id || '): ' || error order by last_failed_at desc) filter (where status <> 'waiting'))[1] as last_error
       from es_parked_events where subscriber = any($1) and ${OPEN} group by subscriber`,
      [subscribers],
    );
    return new Map(rows.map((r) => [r.subscriber, { open: r.open, lastError: r.last_error }]));
  },
};
