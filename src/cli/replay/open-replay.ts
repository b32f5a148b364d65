import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../../libs/config/config.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../../libs/database/embedded-postgres.js';
import { openOrm } from '../../../libs/database/orm.js';
import type { EventStore } from '../../../libs/event-store/event-store.port.js';
import { PostgresEventStore } from '../../../libs/event-store/postgres/postgres-event-store.js';
import { EsdbEventStore } from '../../../libs/event-store/esdb/esdb-event-store.js';
import { SubscriptionRunner, type RunnerOptions } from '../../../libs/event-store/subscription-runner.js';
import { alwaysLeader, type LeaderLock } from '../../../libs/event-store/leader-lock.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { AppModule } from '../../app.module.js';
import { migrations } from '../../migrations.js';

export interface Replay {
  runner: SubscriptionRunner;
  store: EventStore;
  orm: MikroORM;
  close(): Promise<void>;
}

/** Modules see a lock never held, so their scheduled jobs stay quiet in a replay process. */
const neverLeader: LeaderLock = { held: false, acquire: async () => false, release: async () => undefined };

/**
 * Database, migrations, event store and every module's projections, without HTTP: what a rebuild
 * needs. The modules register their subscribers as in the server; only the caller decides which run.
 */
export async function openReplay(config: AppConfig, log: Logger, options: RunnerOptions = {}): Promise<Replay> {
  let embedded: RunningPostgres | undefined;
  let databaseUrl = config.databaseUrl ?? (await runningEmbeddedUrl(config.dataDir));
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, onLog: (m) => log.debug({ postgres: m }) });
    databaseUrl = embedded.url;
  }
  const orm = await openOrm(databaseUrl, migrations);
  const store: EventStore = config.eventStoreUrl ? EsdbEventStore.connect(config.eventStoreUrl) : PostgresEventStore.connect(databaseUrl);
  const runner = new SubscriptionRunner(store, orm, alwaysLeader, log, options);
  let context: INestApplicationContext | undefined;
  try {
    context = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config: { ...config, runBackgroundJobs: false }, orm, store, runner, leader: neverLeader, log }),
      { logger: false },
    );
  } catch (e) {
    await Promise.allSettled([store.close(), orm.close()]);
    await embedded?.stop();
    throw e;
  }
  return {
    runner,
    store,
    orm,
    async close() {
      await runner.stop();
      await context?.close();
      await store.close();
      await orm.close();
      await embedded?.stop();
    },
  };
}

/** The embedded PostgreSQL of a server that is running on this data directory, if any: replay beside it. */
async function runningEmbeddedUrl(dataDir: string): Promise<string | undefined> {
  const pidFile = join(resolve(dataDir, 'postgres'), 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const passwordFile = resolve(dataDir, 'postgres-password');
  if (!existsSync(passwordFile)) return undefined;
  const password = encodeURIComponent(readFileSync(passwordFile, 'utf8').trim());
  const url = `postgres://postgres:${password}@127.0.0.1:${Number(lines[3])}/partnerflow`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
