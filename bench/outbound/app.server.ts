import { loadConfig } from '../../libs/config/config.js';
import { createLogger } from '../../libs/logging/logger.js';
import { startApp } from '../../src/bootstrap.js';
import { serverMain } from '../support/child.js';
import { BENCH_OPERATOR_KEY } from '../webhooks/http-client.js';

/** The whole app as production runs it, with local webhook receivers allowed (WEBHOOK_ALLOW_PRIVATE=true). */
serverMain(async (input: { databaseUrl: string }) => {
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: input.databaseUrl,
    OPERATOR_API_KEY: BENCH_OPERATOR_KEY,
    ENCRYPTION_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  const app = await startApp(config, createLogger(config.logLevel));
  return { url: app.url, close: () => app.close() };
});
