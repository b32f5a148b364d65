import { loadConfig } from '../../libs/config/config.js';
import { createLogger } from '../../libs/logging/logger.js';
import { startApp } from '../../src/bootstrap.js';
import { serverMain } from '../support/child.js';
import { BENCH_OPERATOR_KEY } from '../webhooks/http-client.js';

/** The whole app as production runs it, with a click rate limit the bench's one address cannot reach. */
serverMain(async (input: { databaseUrl: string }) => {
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: input.databaseUrl,
    OPERATOR_API_KEY: BENCH_OPERATOR_KEY,
    ENCRYPTION_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'info',
    TRACKING_CLICKS_PER_MINUTE: '100000000',
  });
  const app = await startApp(config, createLogger(config.logLevel));
  return { url: app.url, close: () => app.close() };
});
