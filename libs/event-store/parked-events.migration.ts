import { Migration } from '@mikro-orm/migrations';

/** Events a projection or reactor could not process (dead letters), per subscriber: see parked-events.ts. */
export class ParkedEventsMigration extends Migration {
  override name = '0050_parked_events';
  override async up(): Promise<void> {
    this.addSql(`
      create table es_parked_events (
        id bigserial primary key,
        subscriber text not null,
        status text not null,
        global_position bigint not null,
        checkpoint text not null,
        stream_id text not null,
        version integer not null,
        event_type text not null,
        park_key text,
        error text not null,
        attempts integer not null default 1,
        first_failed_at timestamptz not null default clock_timestamp(),
        last_failed_at timestamptz not null default clock_timestamp(),
        resolved_at timestamptz,
        constraint es_parked_events_once unique (subscriber, global_position)
      )`);
    this.addSql(`create index es_parked_events_open on es_parked_events (subscriber, park_key, global_position) where status not in ('resolved', 'skipped')`);
  }
}
