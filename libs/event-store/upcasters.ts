import type { EventData, RecordedEvent } from './event-store.port.js';

/**
 * Turns an event stored at `fromVersion` into the shape of `fromVersion + 1`. Events are immutable:
 * when a type's data changes shape, register an upcaster instead of rewriting history, and every
 * reader (aggregates, projections, audit) sees the newest shape. Must be pure.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: EventData): EventData;
}

const registry = new Map<string, Map<number, Upcaster>>();

export function registerUpcaster(u: Upcaster): void {
  const versions = registry.get(u.type) ?? registry.set(u.type, new Map()).get(u.type)!;
  versions.set(u.fromVersion, u);
}

/** The schema version new events of `type` are written with: one past its newest upcaster. */
export function currentSchemaVersion(type: string): number {
  const versions = registry.get(type);
  return versions ? Math.max(...versions.keys()) + 1 : 1;
}

export function upcast(event: RecordedEvent): RecordedEvent {
  const versions = registry.get(event.type);
  if (!versions) return event;
  let current = event;
  for (let next = versions.get(current.schemaVersion); next; next = versions.get(current.schemaVersion)) {
    current = { ...current, data: next.upcast(current.data), schemaVersion: current.schemaVersion + 1 };
  }
  return current;
}
