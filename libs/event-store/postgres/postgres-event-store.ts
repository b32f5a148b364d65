import pg from 'pg';
import {
  START,
  WrongExpectedVersion,
  type EventStoreCapabilities,
  type AppendResult,
  type EventData,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../event-store.port.js';
import { currentSchemaVersion, upcast } from '../upcasters.js';
import { checkCommit, type Expectation } from '../idempotence.js';

const UNIQUE_VIOLATION = '23505';

const APPEND_SQL = `
  with current as (select coalesce(max(version), 0) as v from es_events where stream_id = $1)
  insert into es_events (stream_id, version, type, data, metadata, schema_version, event_id)
  select $1, current.v + e.ord, e.type, e.data, e.metadata, e.schema_version, e.event_id
  from current, unnest($2::text[], $3::jsonb[], $4::jsonb[], $5::int[], $8::uuid[]) with ordinality as e(type, data, metadata, schema_version, event_id, ord)
  where case $6::text when 'any' then true when 'stream_exists' then current.v > 0 else current.v = $7::int end
  returning global_position, version, transaction_id`;

/**
 * Every stream of an `appendMany` in one statement, so one round trip and one transaction: each stream's version
 * is read once, the first stream (in call order) whose expected version does not hold is returned instead of
 * inserting anything, else all events are inserted in call order (global positions follow it) under the
 * statement's single transaction id. Answers, per stream, its last version and position; or the failed stream.
 * Data and metadata come as one JSON array each: a `jsonb[]` parameter of large documents costs far more to
 * escape (client) and parse as an array literal (server) than the documents themselves. Each event finds its
 * stream's version by index, not by a join, so the events are never sorted: the ordinality is their order.
 */
const APPEND_MANY_SQL = `
  with s as materialized (
    select s.stream_id, s.mode, s.expected, s.idx,
      coalesce((select max(x.version) from es_events x where x.stream_id = s.stream_id), 0) as v
    from unnest($1::text[], $2::text[], $3::int[]) with ordinality as s(stream_id, mode, expected, idx)
  ),
  failed as (
    select s.stream_id, s.v from s
    where not case s.mode when 'any' then true when 'stream_exists' then s.v > 0 else s.v = s.expected end
    order by s.idx limit 1
  ),
  ins as (
    insert into es_events (stream_id, version, type, data, metadata, schema_version, event_id)
    select ($1::text[])[e.stream], ((select array_agg(s.v order by s.idx) from s))[e.stream] + e.n, e.type, e.data::jsonb, e.metadata::jsonb, e.schema_version, e.event_id
    from rows from (unnest($4::int[]), unnest($5::int[]), unnest($6::text[]), json_array_elements($7::json), json_array_elements($8::json), unnest($9::int[]), unnest($10::uuid[]))
      with ordinality as e(stream, n, type, data, metadata, schema_version, event_id, ord)
    where not exists (select 1 from failed)
    order by e.ord
    returning stream_id, version, global_position, transaction_id
  )
  select true as failed, stream_id, v as version, null::text as global_position, null::text as transaction_id from failed
  union all
  select false, stream_id, max(version), max(global_position)::text, (array_agg(transaction_id))[1]::text from ins group by stream_id`;

/** How many times a multi-stream append is retried when a concurrent writer took a version of an `any` stream. */
const ANY_RETRIES = 5;

/** The unique index that keeps an event id once per stream (see EventIdsMigration). */
const EVENT_ID_INDEX = 'es_events_stream_event_id';

const CHECKPOINT = /^\d+\/\d+$/;

// occurred_at as epoch milliseconds: parsing a timestamp string per event is most of a replay's read cost.
const SELECT_COLUMNS =
  'global_position, transaction_id, stream_id, version, type, schema_version, data, metadata, floor(extract(epoch from occurred_at) * 1000)::float8 as occurred_at';

type Row = {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: EventData;
  metadata: EventData;
  occurred_at: number;
};

export class PostgresEventStore implements EventStore {
  readonly name = 'postgres';
  readonly capabilities: EventStoreCapabilities = { atomicAppendMany: true, maxAppendBytes: null };
  constructor(private readonly pool: pg.Pool) {}

  static connect(url: string, max = 20): PostgresEventStore {
    const pool = new pg.Pool({ connectionString: url, max });
    // An idle connection closed by the server (e.g. Postgres shutting down) must not crash the process.
    pool.on('error', () => undefined);
    return new PostgresEventStore(pool);
  }

  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    if (events.some((e) => e.id !== undefined)) return (await this.appendMany([{ streamId, events, expectedVersion }]))[0]!;
    return this.appendWith(this.pool, { streamId, events, expectedVersion });
  }

  /** All streams or none; appends carrying event ids are first checked for being retries (`idempotence.ts`). */
  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (!appends.some((a) => a.events.some((e) => e.id !== undefined))) return this.write(appends);
    // At exact versions a retry can only be found where the write fails (its events already hold those positions, or
    // an id is held at another): write first, and look for the retry only then. One round trip in the common case.
    if (appends.every((a) => typeof a.expectedVersion === 'number' || a.expectedVersion === 'no_stream')) {
      try {
        return await this.write(appends);
      } catch (e) {
        if (!(e instanceof WrongExpectedVersion) && !isEventIdConflict(e)) throw e;
      }
    }
    for (let attempt = 0; ; attempt++) {
      const done = await this.alreadyWritten(appends);
      const rest = appends.filter((_, i) => !done.has(i));
      try {
        const written = rest.length ? await this.write(rest) : [];
        let next = 0;
        return appends.map((_, i) => done.get(i) ?? written[next++]!);
      } catch (e) {
        // A concurrent retry wrote the same ids first: check again, it is now a retry of that one.
        if (!isEventIdConflict(e)) throw e;
        if (attempt >= 2)
          throw new Error(`appendMany reuses an event id that its stream already holds at another position: ${(e as { detail?: string }).detail ?? ''}`);
      }
    }
  }

  /**
   * The appends of the call that an earlier call already wrote (same ids at the expected positions), with that
   * call's result, decided as EventStoreDB decides (its cache of recent ids being the whole stream here).
   * An `any`/`stream_exists` append found half-written fails here: writing it again would not be idempotent.
   */
  private async alreadyWritten(appends: StreamAppend[]): Promise<Map<number, AppendResult>> {
    const ids = appends.flatMap((a) => a.events.flatMap((e) => (e.id === undefined ? [] : [e.id])));
    const streams = [...new Set(appends.filter((a) => a.events.some((e) => e.id !== undefined)).map((a) => a.streamId))];
    const [{ rows }, { rows: versions }] = await Promise.all([
      this.pool.query<{ stream_id: string; version: number; id: string; global_position: string; transaction_id: string }>(
        'select stream_id, version, event_id::text as id, global_position, transaction_id from es_events where stream_id = any($1) and event_id = any($2::uuid[])',
        [streams, ids],
      ),
      this.pool.query<{ stream_id: string; v: number }>('select stream_id, max(version) as v from es_events where stream_id = any($1) group by stream_id', [
        streams,
      ]),
    ]);
    const current = new Map(versions.map((r) => [r.stream_id, Number(r.v)]));
    const done = new Map<number, AppendResult>();
    appends.forEach((a, i) => {
      if (!a.events.some((e) => e.id !== undefined)) return;
      const mine = rows.filter((r) => r.stream_id === a.streamId);
      const byVersion = new Map(mine.map((r) => [r.version, r]));
      const byId = new Map(mine.map((r) => [r.id, r.version - 1]));
      const version = current.get(a.streamId) ?? 0;
      const check = checkCommit(
        revisionOf(a.expectedVersion),
        a.events.map((e) => e.id),
        {
          current: version - 1,
          idAt: (revision) => byVersion.get(revision + 1)?.id,
          recent: (id) => byId.get(id),
        },
      );
      if (check.decision === 'idempotent') {
        const last = byVersion.get(check.last + 1)!;
        done.set(i, { nextVersion: last.version, checkpoint: `${last.transaction_id}/${last.global_position}`, globalPosition: Number(last.global_position) });
      } else if (check.decision === 'wrong_expected_version' && (a.expectedVersion === 'any' || a.expectedVersion === 'stream_exists')) {
        throw new WrongExpectedVersion(a.streamId, a.expectedVersion, version);
      }
    });
    return done;
  }

  private async write(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 1) return [await this.appendWith(this.pool, appends[0]!)];
    if (appends.length === 0) return [];
    // A stream named twice depends on its own earlier events of the call: kept to one statement per append.
    if (new Set(appends.map((a) => a.streamId)).size < appends.length) return this.appendSequentially(appends);
    return this.appendSetBased(appends);
  }

  /** All streams in one statement (APPEND_MANY_SQL): one round trip, atomic without an explicit transaction. */
  private async appendSetBased(appends: StreamAppend[], attempt = 0): Promise<AppendResult[]> {
    if (appends.some((a) => a.events.length === 0)) throw new Error('append needs at least one event');
    const streams = appends.map((a) => ({ ...a, ...expectation(a.expectedVersion) }));
    const stream: number[] = [];
    const n: number[] = [];
    const types: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    const schemaVersions: number[] = [];
    const eventIds: (string | null)[] = [];
    appends.forEach((a, i) => {
      a.events.forEach((e, j) => {
        stream.push(i + 1);
        n.push(j + 1);
        types.push(e.type);
        data.push(JSON.stringify(e.data));
        metadata.push(JSON.stringify(e.metadata ?? {}));
        schemaVersions.push(e.schemaVersion ?? currentSchemaVersion(e.type));
        eventIds.push(e.id ?? null);
      });
    });
    let rows: { failed: boolean; stream_id: string; version: number; global_position: string | null; transaction_id: string | null }[];
    try {
      ({ rows } = await this.pool.query({
        name: 'es_append_many',
        text: APPEND_MANY_SQL,
        values: [
          streams.map((s) => s.streamId),
          streams.map((s) => s.mode),
          streams.map((s) => s.expected),
          stream,
          n,
          types,
          `[${data.join(',')}]`,
          `[${metadata.join(',')}]`,
          schemaVersions,
          eventIds,
        ],
      }));
    } catch (e) {
      if ((e as { code?: string }).code !== UNIQUE_VIOLATION || isEventIdConflict(e)) throw e;
      // A writer committed a version of one of the streams after this statement's snapshot: nothing was written.
      // A version taken from an `any` stream is no conflict: append again, as `append` does. Any other stream fails
      // the call as it did with one statement per stream; the statement-per-stream path names it if the error does not.
      const taken = conflictingStream(e as { detail?: string }, appends);
      if (!taken) return this.appendSequentially(appends);
      if (taken.expectedVersion === 'any' && attempt < ANY_RETRIES) return this.appendSetBased(appends, attempt + 1);
      throw new WrongExpectedVersion(taken.streamId, taken.expectedVersion, null);
    }
    const failed = rows.find((r) => r.failed);
    if (failed) throw new WrongExpectedVersion(failed.stream_id, appends.find((a) => a.streamId === failed.stream_id)!.expectedVersion, Number(failed.version));
    const last = new Map(rows.map((r) => [r.stream_id, r]));
    return appends.map((a) => {
      const r = last.get(a.streamId)!;
      return { nextVersion: Number(r.version), checkpoint: `${r.transaction_id}/${r.global_position}`, globalPosition: Number(r.global_position) };
    });
  }

  private async appendSequentially(appends: StreamAppend[]): Promise<AppendResult[]> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const results: AppendResult[] = [];
      for (const a of appends) results.push(await this.appendWith(client, a));
      await client.query('commit');
      return results;
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  private async appendWith(db: pg.Pool | pg.PoolClient, a: StreamAppend): Promise<AppendResult> {
    if (a.events.length === 0) throw new Error('append needs at least one event');
    const { mode, expected } = expectation(a.expectedVersion);
    let rows: { global_position: string; version: number; transaction_id: string }[];
    try {
      // Named statements are prepared once per connection: re-planning the append costs as much as its round trip.
      ({ rows } = await db.query({
        name: 'es_append',
        text: APPEND_SQL,
        values: [
          a.streamId,
          a.events.map((e) => e.type),
          a.events.map((e) => JSON.stringify(e.data)),
          a.events.map((e) => JSON.stringify(e.metadata ?? {})),
          a.events.map((e) => e.schemaVersion ?? currentSchemaVersion(e.type)),
          mode,
          expected,
          a.events.map((e) => e.id ?? null),
        ],
      }));
    } catch (e) {
      if (isEventIdConflict(e)) throw e;
      if ((e as { code?: string }).code === UNIQUE_VIOLATION && mode === 'any' && !('release' in db)) return this.appendWith(db, a);
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new WrongExpectedVersion(a.streamId, a.expectedVersion, null);
      throw e;
    }
    if (rows.length === 0) throw new WrongExpectedVersion(a.streamId, a.expectedVersion, await this.streamVersion(db, a.streamId));
    const last = rows[rows.length - 1]!;
    return { nextVersion: last.version, checkpoint: `${last.transaction_id}/${last.global_position}`, globalPosition: Number(last.global_position) };
  }

  private async streamVersion(db: pg.Pool | pg.PoolClient, streamId: string): Promise<number> {
    const { rows } = await db.query('select coalesce(max(version), 0) as v from es_events where stream_id = $1', [streamId]);
    return Number(rows[0].v);
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<Row>({
      name: 'es_read_stream',
      text: `select ${SELECT_COLUMNS} from es_events where stream_id = $1 and version >= $2 order by version`,
      values: [streamId, fromVersion],
    });
    return rows.map(toEvent);
  }

  async readAll(checkpoint: string, limit: number, payloadTypes?: readonly string[]): Promise<RecordedEvent[]> {
    const [tx, pos] = checkpoint.split('/');
    const where = `where (transaction_id, global_position) > ($1::xid8, $2::bigint)
         and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       order by transaction_id, global_position limit $3`;
    const { rows } = await this.pool.query<Row>(
      payloadTypes
        ? // Payloads nobody reads (a stored Stripe event is kilobytes) are neither sent nor decoded.
          {
            name: 'es_read_all_typed',
            text: `select ${SELECT_COLUMNS.replace(', data,', `, case when type = any($4::text[]) then data else '{}'::jsonb end as data,`)} from es_events ${where}`,
            values: [tx, pos, limit, payloadTypes],
          }
        : { name: 'es_read_all', text: `select ${SELECT_COLUMNS} from es_events ${where}`, values: [tx, pos, limit] },
    );
    return rows.map(toEvent);
  }

  async head(): Promise<{ checkpoint: string; globalPosition: number }> {
    const { rows } = await this.pool.query(
      `select transaction_id, global_position from es_events
       where transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       order by transaction_id desc, global_position desc limit 1`,
    );
    return rows[0]
      ? { checkpoint: `${rows[0].transaction_id}/${rows[0].global_position}`, globalPosition: Number(rows[0].global_position) }
      : { checkpoint: START, globalPosition: 0 };
  }

  async countAfter(checkpoint: string): Promise<number> {
    const [tx, pos] = checkpoint.split('/');
    const { rows } = await this.pool.query(`select count(*)::int as n from es_events where (transaction_id, global_position) > ($1::xid8, $2::bigint)`, [
      tx,
      pos,
    ]);
    return rows[0].n;
  }

  ownsCheckpoint(checkpoint: string): boolean {
    return CHECKPOINT.test(checkpoint);
  }

  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The expected version as the append statements take it: a mode and, for `exact`, the version (0 = no stream). */
function expectation(expectedVersion: ExpectedVersion): { mode: 'exact' | 'any' | 'stream_exists'; expected: number } {
  const mode = typeof expectedVersion === 'number' || expectedVersion === 'no_stream' ? 'exact' : expectedVersion;
  return { mode, expected: typeof expectedVersion === 'number' ? expectedVersion : 0 };
}

/** The port's expected version in EventStoreDB's terms (revisions from 0, -1 = no stream), for `checkCommit`. */
function revisionOf(expected: ExpectedVersion): Expectation {
  if (expected === 'any' || expected === 'stream_exists') return expected;
  return expected === 'no_stream' ? -1 : expected - 1;
}

const isEventIdConflict = (e: unknown): boolean =>
  (e as { code?: string }).code === UNIQUE_VIOLATION && (e as { constraint?: string }).constraint === EVENT_ID_INDEX;

/** The append whose stream a unique violation names: `Key (stream_id, version)=(<stream>, <n>) already exists.` */
function conflictingStream(error: { detail?: string }, appends: StreamAppend[]): StreamAppend | undefined {
  const detail = error.detail ?? '';
  const prefix = 'Key (stream_id, version)=(';
  if (!detail.startsWith(prefix)) return undefined;
  return appends.find(
    (a) => /^, \d+\) already exists\.$/.test(detail.slice(prefix.length + a.streamId.length)) && detail.startsWith(a.streamId, prefix.length),
  );
}

function toEvent(r: Row): RecordedEvent {
  return upcast({
    streamId: r.stream_id,
    type: r.type,
    version: r.version,
    globalPosition: Number(r.global_position),
    checkpoint: `${r.transaction_id}/${r.global_position}`,
    occurredAt: new Date(r.occurred_at),
    schemaVersion: r.schema_version,
    data: r.data,
    metadata: r.metadata,
  });
}
