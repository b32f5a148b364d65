import pg from 'pg';

/** A session-level advisory lock: the process holding it runs subscriptions and scheduled jobs. */
export interface LeaderLock {
  readonly held: boolean;
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

export class PostgresLeaderLock implements LeaderLock {
  private client?: pg.Client;
  private pending?: Promise<boolean>;
  held = false;

  constructor(
    private readonly url: string,
    private readonly key = 4_242_001,
  ) {}

  acquire(): Promise<boolean> {
    if (this.held) return Promise.resolve(true);
    this.pending ??= this.tryAcquire().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async tryAcquire(): Promise<boolean> {
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.url });
      client.on('error', () => this.lost());
      client.on('end', () => this.lost());
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query('select pg_try_advisory_lock($1) as ok', [this.key]);
    this.held = rows[0].ok === true;
    return this.held;
  }

  private lost(): void {
    this.held = false;
    this.client = undefined;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.lost();
    await client?.end().catch(() => undefined);
  }
}

export const alwaysLeader: LeaderLock = { held: true, acquire: async () => true, release: async () => undefined };
