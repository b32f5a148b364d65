import type { EventData, RecordedEvent } from './event-store.port.js';

/** Turns an event stored at `fromVersion` into the shape of `fromVersion + 1`. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: EventData): EventData;
}

const registry = new Map<string, Upcaster>();

export function registerUpcaster(u: Upcaster): void {
  registry.set(`${u.type}@${u.fromVersion}`, u);
}

export function upcast(event: RecordedEvent): RecordedEvent {
  let current = event;
  for (let next = registry.get(`${current.type}@${current.schemaVersion}`); next; next = registry.get(`${current.type}@${current.schemaVersion}`)) {
    current = { ...current, data: next.upcast(current.data), schemaVersion: current.schemaVersion + 1 };
  }
  return current;
}
