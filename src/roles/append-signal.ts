import pg from 'pg';
import type { Logger } from '../../libs/logging/logger.js';

const CHANNEL = 'partnerflow_appended';
/** Under load every request appends: one signal per this many ms is enough to keep the leader awake. */
const MIN_INTERVAL_MS = 10;

/**
 * Wakes the subscriptions of other processes after an append (Postgres LISTEN/NOTIFY on the app's database),
 * so a write through a `web` process is projected by the worker at once instead of at its next poll; the
 * poll stays the fallback whenever the signal is lost. Signals are coalesced: at most one NOTIFY per 10 ms.
 */
export class AppendSignal {
  private client?: pg.Client;
  private connecting?: Promise<pg.Client>;
  private scheduled?: NodeJS.Timeout;
  private lastSent = 0;
  private closed = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    /** Called when another process appended; undefined: this process only sends. */
    private readonly onSignal?: () => void,
  ) {}

  /** Connects now when this process listens; a sender connects on its first signal. */
  async start(): Promise<void> {
    if (this.onSignal) await this.connect().catch((err: unknown) => this.lost(err));
  }

  notify(): void {
    if (this.closed || this.scheduled) return;
    // at most one NOTIFY per MIN_INTERVAL_MS: the first at once, the others of a burst in one at the window's end
    const wait = Math.max(0, this.lastSent + MIN_INTERVAL_MS - Date.now());
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.lastSent = Date.now();
      void this.connect()
        .then((client) => client.query('select pg_notify($1, $2)', [CHANNEL, '']))
        .catch((err: unknown) => this.lost(err));
    }, wait);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.scheduled);
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('error', (err) => this.lost(err));
      await client.connect();
      if (this.onSignal) {
        // our own NOTIFYs come back on this connection too: only other processes' wake the runner
        const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        client.on('notification', (n) => n.processId !== rows[0]!.pid && this.onSignal!());
        await client.query(`listen ${CHANNEL}`);
      }
      if (this.closed) await client.end();
      else this.client = client;
      return client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** The connection broke: a listener connects again in a second (meanwhile the runner's poll goes on). */
  private lost(err: unknown): void {
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => undefined);
    if (this.closed) return;
    this.log.warn({ err }, 'append signal connection lost: subscriptions fall back to polling until it is back');
    if (this.onSignal && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        void this.connect().catch((e: unknown) => this.lost(e));
      }, 1_000);
      this.retry.unref();
    }
  }
}
