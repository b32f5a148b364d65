import type { RecordedEvent } from './event-store.port.js';
import type { Sql } from '../database/sql.js';

/** A read model: its writes and its checkpoint commit in one transaction, so a replayed event changes nothing. */
export interface Projection {
  readonly name: string;
  /** Tables it owns: truncated on rebuild and hashed for the checksum. */
  readonly tables: readonly string[];
  apply(event: RecordedEvent, sql: Sql): Promise<void>;
}

/** A process manager: turns events into commands. At-least-once, so `react` must be idempotent. */
export interface Reactor {
  readonly name: string;
  react(event: RecordedEvent): Promise<void>;
}

export interface SubscriptionStatus {
  name: string;
  kind: 'projection' | 'reactor';
  status: 'running' | 'rebuilding' | 'failed';
  position: number;
  checkpoint: string;
  lag: number;
  checksum: string | null;
  lastError: string | null;
}
