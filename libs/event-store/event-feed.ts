import type { EventStore, RecordedEvent } from './event-store.port.js';

/**
 * Shares `readAll` pages between subscribers and reads one page ahead of the leading one, so a
 * replay reads the log once however many projections follow it. A full page is an immutable fact
 * (the store never lets a late commit land behind a returned event), so it may be cached; a short
 * page is only shared while it is being read, the next reader asks again for newer events.
 */
export class EventFeed {
  private readonly pages = new Map<string, Promise<RecordedEvent[]>>();
  private readonly sizes = new Map<string, number>();
  private cached = 0;

  /** Set before the first read: only these types' payloads are decoded (see EventStore.readAll). */
  payloadTypes: readonly string[] | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly maxCachedEvents = 100_000,
  ) {}

  async read(checkpoint: string, limit: number): Promise<RecordedEvent[]> {
    const events = await this.page(checkpoint, limit);
    if (events.length === limit) void this.page(events[limit - 1]!.checkpoint, limit).catch(() => undefined);
    return events;
  }

  private page(checkpoint: string, limit: number): Promise<RecordedEvent[]> {
    const key = `${checkpoint}|${limit}`;
    const known = this.pages.get(key);
    if (known) return known;
    const reading = this.store.readAll(checkpoint, limit, this.payloadTypes).then(
      (events) => {
        if (events.length === limit) this.keep(key, events.length);
        else this.pages.delete(key);
        return events;
      },
      (error: unknown) => {
        this.pages.delete(key);
        throw error;
      },
    );
    this.pages.set(key, reading);
    return reading;
  }

  private keep(key: string, size: number): void {
    this.sizes.set(key, size);
    this.cached += size;
    for (const [oldest, n] of this.sizes) {
      if (this.cached <= this.maxCachedEvents) break;
      this.sizes.delete(oldest);
      this.pages.delete(oldest);
      this.cached -= n;
    }
  }

  clear(): void {
    this.pages.clear();
    this.sizes.clear();
    this.cached = 0;
  }
}
