import { randomBytes } from 'node:crypto';

export interface AppConfig {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  eventStoreUrl?: string;
  operatorApiKey: string;
  encryptionKey: Buffer;
  stripeSecretKey: string;
  stripeWebhookSecret?: string;
  stripeApiBase?: string;
  logLevel: string;
  runBackgroundJobs: boolean;
  publicUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment once; every problem names its variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const port = parsePort(env.PORT ?? '3000');
  const eventStoreUrl = env.EVENTSTORE_URL || undefined;
  if (eventStoreUrl && !/^esdb(\+discover)?:\/\//.test(eventStoreUrl)) {
    throw new ConfigError('EVENTSTORE_URL', 'must start with esdb:// (leave it unset for the Postgres event store)');
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const stripeApiBase = env.STRIPE_API_BASE || undefined;
  if (stripeApiBase) parseUrl('STRIPE_API_BASE', stripeApiBase);
  return {
    port,
    databaseUrl,
    dataDir: env.DATA_DIR || '.data',
    eventStoreUrl,
    operatorApiKey: operatorKey(env),
    encryptionKey: encryptionKey(env),
    stripeSecretKey: env.STRIPE_SECRET_KEY || 'sk_test_partnerflow_dev',
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
    stripeApiBase,
    logLevel: env.LOG_LEVEL || 'info',
    runBackgroundJobs: env.BACKGROUND_JOBS !== 'off',
    publicUrl: env.PUBLIC_URL || `http://localhost:${port}`,
  };
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', `must be an integer 0-65535, got "${raw}"`);
  return port;
}

function parseUrl(variable: string, raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(variable, `must be a URL, got "${raw}"`);
  }
}

function operatorKey(env: Env): string {
  const key = env.OPERATOR_API_KEY;
  if (key === undefined || key === '') {
    // A development default; production deployments set their own.
    return 'op_dev_partnerflow';
  }
  if (key.length < 16) throw new ConfigError('OPERATOR_API_KEY', 'must be at least 16 characters');
  return key;
}

function encryptionKey(env: Env): Buffer {
  const raw = env.ENCRYPTION_KEY;
  if (!raw) return devEncryptionKey;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('ENCRYPTION_KEY', 'must be 32 bytes, as 64 hex characters or base64');
  }
  return key;
}

// Fixed so that a development database written by one `npm start` stays readable by the next.
const devEncryptionKey = Buffer.from('partnerflow-development-key-32b!', 'utf8');
export const randomKeyHex = (): string => randomBytes(32).toString('hex');
