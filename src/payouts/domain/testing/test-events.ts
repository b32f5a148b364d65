import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';

/** Builds a recorded event for given/when/then deciders. */
export const recorded = (type: string, data: Record<string, unknown>, occurredAt = new Date(0)): RecordedEvent => ({
  streamId: 's',
  type,
  data,
  version: 1,
  globalPosition: 1,
  checkpoint: '1/1',
  occurredAt,
  schemaVersion: 1,
  metadata: {},
});

export const given = <S>(initial: S, evolve: (s: S, e: RecordedEvent) => S, ...events: [string, Record<string, unknown>][]): S =>
  events.reduce((s, [type, data]) => evolve(s, recorded(type, data)), initial);
