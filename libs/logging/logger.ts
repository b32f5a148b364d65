import { pino, type Logger } from 'pino';

export type { Logger };

const redact = ['*.apiKey', '*.webhookSecret', '*.authorization', 'req.headers.authorization', '*.adminApiKey', '*.partnerApiKey', '*.secret'];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'partnerflow' }, redact: { paths: redact, censor: '[redacted]' } });
}
