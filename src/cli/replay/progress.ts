/** A one-line replay progress: bar, events done of total, events/s and ETA. Pure, for the CLI to print. */
export function progressLine(done: number, total: number, elapsedMs: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const eta = rate > 0 ? Math.max(0, total - done) / rate : Number.POSITIVE_INFINITY;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${n(done)}/${n(total)} events  ${n(rate)} events/s  ETA ${formatSeconds(eta)}`;
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** Counts each projection's replayed events; the slowest one is the rebuild's progress. */
export class ReplayProgress {
  private readonly counts = new Map<string, number>();
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly out: { write(s: string): unknown; isTTY?: boolean },
    private readonly total: number,
    names: string[],
  ) {
    for (const name of names) this.counts.set(name, 0);
  }

  add(name: string, events: number): void {
    if (!this.counts.has(name)) return;
    this.counts.set(name, this.counts.get(name)! + events);
    const now = Date.now();
    if (now - this.lastDraw >= (this.out.isTTY ? 200 : 2_000)) this.draw(now);
  }

  get done(): number {
    return Math.min(...this.counts.values());
  }

  /** Draws the last line: complete when every projection caught up (events may also have been replayed by a server beside). */
  finish(complete: boolean): number {
    this.draw(Date.now(), complete ? this.total : this.done, true);
    return Date.now() - this.started;
  }

  private draw(now: number, done = this.done, last = false): void {
    this.lastDraw = now;
    const line = progressLine(done, this.total, now - this.started);
    this.out.write(this.out.isTTY ? `\r${line}${last ? '\n' : ''}` : `${line}\n`);
  }
}
