import type { Event, EventEnvelope } from '../event-store.port.js';

/**
 * A stored event for specs, typed: `recorded<LeadEvent>({ type: 'LeadCreated', data })` checks `data` against the type,
 * and the result is a `RecordedEvent<LeadEvent>`. The envelope is not under test unless given (`{ version: 2 }`).
 */
export const recorded = <E extends Event>(event: E, envelope: Partial<EventEnvelope> = {}): E & EventEnvelope => ({
  streamId: 's',
  version: 1,
  globalPosition: 1,
  checkpoint: '1/1',
  occurredAt: new Date(0),
  schemaVersion: 1,
  metadata: {},
  ...event,
  ...envelope,
});
