import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig, type AppConfig } from '../../libs/config/config.js';
import { createLogger, type Logger } from '../../libs/logging/logger.js';
import { startApp, type RunningApp } from '../../src/bootstrap.js';
import { CONNECT_SECRET, OPERATOR_KEY, PLATFORM_SECRET, TEST_ENCRYPTION_KEY } from './app.js';
import { createTestDatabase } from './database.js';

export interface CapturedLog {
  log: Logger;
  /** Every line written so far (pino JSON). */
  lines: string[];
  text(): string;
  /** Parsed lines whose `msg` is `msg`. */
  entries(msg: string): Record<string, unknown>[];
}

/**
 * The production logger (its level, base fields and redaction paths) writing to memory instead of
 * stdout, so tests read exactly what an operator's log collector would receive.
 */
export function capturedLogger(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const log = createLogger(level);
  // The stream pino writes to is a symbol-keyed field, not part of the Logger type.
  Reflect.set(
    log,
    pino.symbols.streamSym,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  );
  return {
    log,
    lines,
    text: () => lines.join('\n'),
    entries: (msg) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === msg),
  };
}

/** `startTestApp` with a logger of the caller's: the whole app on a fresh database. */
export async function startLoggedApp(log: Logger, env: Record<string, string> = {}): Promise<RunningApp & { config: AppConfig }> {
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: env.DATABASE_URL ?? (await createTestDatabase()),
    OPERATOR_API_KEY: OPERATOR_KEY,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    STRIPE_SECRET_KEY: 'sk_test_platform',
    STRIPE_WEBHOOK_SECRET: PLATFORM_SECRET,
    STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
    ...env,
  });
  return { ...(await startApp(config, log)), config };
}
