import { Migration } from '@mikro-orm/migrations';

export class EventStoreMigration extends Migration {
  override name = '0001_event_store';
  override async up(): Promise<void> {
    // transaction_id orders events by commit visibility: readers only see ids below the oldest
    // running transaction (pg_snapshot_xmin), so a late commit can never land behind a checkpoint.
    this.addSql(`
      create table es_events (
        global_position bigserial primary key,
        transaction_id xid8 not null default pg_current_xact_id(),
        stream_id text not null,
        version integer not null,
        type text not null,
        schema_version integer not null default 1,
        data jsonb not null,
        metadata jsonb not null default '{}'::jsonb,
        occurred_at timestamptz not null default clock_timestamp(),
        constraint es_events_stream_version unique (stream_id, version)
      )`);
    this.addSql('create index es_events_commit_order on es_events (transaction_id, global_position)');
    this.addSql(`
      create table es_checkpoints (
        name text primary key,
        checkpoint text not null default '0/0',
        global_position bigint not null default 0,
        status text not null default 'running',
        last_error text,
        failed_checkpoint text,
        updated_at timestamptz not null default now()
      )`);
  }
}

/**
 * Deterministic event ids (`NewEvent.id`), for idempotent retries. Unique per stream, so that two retries
 * racing each other cannot both write (the loser re-checks and finds its events written).
 */
export class EventIdsMigration extends Migration {
  override name = '0053_event_ids';
  override async up(): Promise<void> {
    this.addSql('alter table es_events add column event_id uuid');
    this.addSql('create unique index es_events_stream_event_id on es_events (stream_id, event_id) where event_id is not null');
  }
}

/** The event store's schema, for databases that hold only it (tests, benchmarks); the app lists them in src/migrations.ts. */
export const eventStoreMigrations = [
  { name: '0001_event_store', class: EventStoreMigration },
  { name: '0053_event_ids', class: EventIdsMigration },
];
