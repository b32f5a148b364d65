/** How many pages a replaying projection may run ahead of the slowest one: the feed reads the log once and keeps only this window. */
export const REPLAY_WINDOW = 3;

/**
 * The projections replaying in this process, with the events each has replayed (counted: positions are not event
 * counts), so that one running ahead of the slowest waits for it and pages are read once and held briefly.
 */
export class ReplayPacing {
  private readonly replayed = new Map<string, number>();

  constructor(private readonly pageSize: number) {}

  /** `name` starts replaying, paced from here on with the others. */
  start(name: string): void {
    this.replayed.set(name, 0);
  }

  advance(name: string, events: number): void {
    this.replayed.set(name, (this.replayed.get(name) ?? 0) + events);
  }

  /** `name` is no longer replaying (caught up, failed, or not run here). */
  end(name: string): void {
    this.replayed.delete(name);
  }

  clear(): void {
    this.replayed.clear();
  }

  /** Whether `name` is a window or more ahead of the slowest replaying projection. */
  ahead(name: string): boolean {
    const mine = this.replayed.get(name);
    return mine !== undefined && mine - Math.min(...this.replayed.values()) >= REPLAY_WINDOW * this.pageSize;
  }
}
