import { loadConfig } from '../../libs/config/config.js';
import { createLogger } from '../../libs/logging/logger.js';
import { startApp } from '../../src/bootstrap.js';
import { serverMain } from '../support/child.js';
import { BENCH_OPERATOR_KEY } from './http-client.js';

/** The whole app as production runs it (JSON logs at info, to /dev/null here), on the bench's database; `role` as ROLE (default all). */
serverMain(async (input: { databaseUrl: string; role?: string }) => {
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: input.databaseUrl,
    OPERATOR_API_KEY: BENCH_OPERATOR_KEY,
    ENCRYPTION_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'info',
    ROLE: input.role ?? 'all',
  });
  const app = await startApp(config, createLogger(config.logLevel));
  return { url: app.url, close: () => app.close() };
});
