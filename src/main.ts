import { loadConfig, ConfigError } from '../libs/config/config.js';
import { createLogger } from '../libs/logging/logger.js';
import { startEmbeddedPostgres } from '../libs/database/embedded-postgres.js';

const started = Date.now();
const log = createLogger(process.env.LOG_LEVEL);
try {
  const config = loadConfig();
  // Start the embedded PostgreSQL while Nest, Swagger and MikroORM load: the two take similar time.
  const embedded = config.databaseUrl
    ? undefined
    : startEmbeddedPostgres({
        dataDir: config.dataDir,
        onLog: (m) => log.debug({ postgres: m }),
        onRestart: (attempt, err) => log.warn({ attempt, err }, 'the embedded PostgreSQL stopped: starting it again'),
        // Better a clean exit a supervisor (or the user) sees than a process answering 503 for ever.
        onGiveUp: (err) => {
          log.fatal({ err }, 'the embedded PostgreSQL cannot be started again: exiting');
          process.exit(1);
        },
      });
  embedded?.catch(() => undefined);
  const { startApp } = await import('./bootstrap.js');
  const running = await startApp(config, log, embedded);
  log.info({ url: running.url, docs: `${running.url}/docs`, eventStore: running.store.name, startupMs: Date.now() - started }, 'Partnerflow is listening');
  if (config.generatedOperatorKey) {
    const { key, file } = config.generatedOperatorKey;
    log.warn({ operatorApiKey: key, keptIn: file }, `First start: generated the operator API key ${key} (shown this once; kept in ${file}, mode 0600)`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // The embedded Postgres stops on the same signal; idle pooled connections then report 57P01.
    process.on('uncaughtException', (e) => {
      if ((e as { code?: string }).code !== '57P01') throw e;
    });
    log.info({ signal }, 'shutting down');
    await running.close().catch((e) => log.error({ err: e }, 'shutdown error'));
    process.exit(0);
  };
  // embedded-postgres installs async-exit-hook, which exits 143 on these signals as soon as its own hook has stopped
  // Postgres, racing close(); close() stops the embedded Postgres itself, so this process's handlers are the only ones.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (e) {
  if (e instanceof ConfigError) {
    log.fatal(e.message);
  } else {
    log.fatal({ err: e }, 'start-up failed');
  }
  process.exit(1);
}
