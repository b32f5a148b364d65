import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { localSecret } from './local-secrets.js';
import { readDatabaseUrlFile } from '../database/database-url-file.js';
import { platformCountry, stripeFees, type StripeFeeSetting } from './stripe-settings.js';

export { ConfigError } from './config-error.js';

export interface AppConfig {
  port: number;
  /** Interface to listen on: loopback for the embedded development database, all interfaces otherwise. */
  host: string;
  databaseUrl?: string;
  dataDir: string;
  eventStoreUrl?: string;
  operatorApiKey: string;
  encryptionKey: Buffer;
  stripeSecretKey: string;
  /** Signing secret of the platform's account endpoint (its own events: setup_intent.*, payment_intent.*). */
  stripeWebhookSecret?: string;
  /** Signing secret of the platform's Connect endpoint (connected accounts' events: account.updated). */
  stripeConnectWebhookSecret?: string;
  /** The platform account's country when configured; otherwise read from Stripe. */
  stripePlatformCountry?: string;
  stripeFees: StripeFeeSetting;
  stripeApiBase?: string;
  logLevel: string;
  /** `ROLE` (SPEC §13): `web` serves HTTP only, `worker` runs the background work (HTTP: health and metrics only), `all` both. */
  role: Role;
  /** False for `ROLE=web` and for `BACKGROUND_JOBS=off`: no projections, reactors, schedules or deliveries here. */
  runBackgroundJobs: boolean;
  /** `METRICS_PORT`: /metrics without a key on its own port (keep it off the public network); unset: /metrics on PORT with the operator key. */
  metricsPort?: number;
  publicUrl: string;
  /** Failed authentications one IP may make per minute before it gets 429 for the rest of it (0: no limit). */
  authFailuresPerMinute: number;
  /** Outgoing mail (`SMTP_URL`, `MAIL_FROM`); undefined: no mail is sent. */
  mail?: { smtpUrl: string; from: string };
  /** `WEBHOOK_ALLOW_PRIVATE=true`: webhook endpoints may be http and resolve to private or loopback addresses (local receivers). */
  webhookAllowPrivate: boolean;
  /** First retry delay of webhook deliveries and mails (`OUTBOUND_RETRY_BASE_MS`, default 60 s); each next one doubles, with jitter. */
  outboundRetryBaseMs: number;
  /** Set when this start generated the operator key (development, no OPERATOR_API_KEY): shown once. */
  generatedOperatorKey?: { key: string; file: string };
  /** The console loads Stripe.js from here (tests point it at the emulator's stand-in). */
  stripeJsUrl: string;
  /** The platform's publishable key (`pk_…`), for Stripe.js in the console's card form; none: no card form. */
  stripePublishableKey?: string;
  /** Express's `trust proxy` (`TRUST_PROXY`): which proxies' X-Forwarded-For names the client; false: none. */
  trustProxy: boolean | number | string;
  /** Clicks (links and script) one IP address may make per minute before 429 (`TRACKING_CLICKS_PER_MINUTE`). */
  trackingClicksPerMinute: number;
}

type Env = Record<string, string | undefined>;

export const ROLES = ['all', 'web', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Reads and validates the environment once; every problem names its variable. `serving: false` (the
 * rebuild CLI, which answers no HTTP) needs no operator key.
 */
export function loadConfig(env: Env = process.env, opts: { serving?: boolean } = {}): AppConfig {
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
  const dataDir = env.DATA_DIR || '.data';
  const role = (env.ROLE || 'all') as Role;
  if (!ROLES.includes(role)) throw new ConfigError('ROLE', `must be all, web or worker, got "${env.ROLE}"`);
  const metricsPort = env.METRICS_PORT ? parsePort(env.METRICS_PORT, 'METRICS_PORT') : undefined;
  // Keys are generated only for the embedded development database (also when joining it through DATA_DIR/database-url); anything else must be given them.
  const joinsEmbedded = databaseUrl !== undefined && databaseUrl === readDatabaseUrlFile(dataDir);
  const production = (databaseUrl !== undefined && !joinsEmbedded) || env.NODE_ENV === 'production';
  const operator = opts.serving === false ? { key: `op_unused_${randomBytes(16).toString('hex')}` } : operatorKey(env, production, dataDir);
  const publicUrl = env.PUBLIC_URL || `http://localhost:${port}`;
  if (!/^https?:$/.test(parseUrl('PUBLIC_URL', publicUrl).protocol)) throw new ConfigError('PUBLIC_URL', 'must be an http:// or https:// URL');
  const stripeJsUrl = env.STRIPE_JS_URL || 'https://js.stripe.com/v3/';
  parseUrl('STRIPE_JS_URL', stripeJsUrl);
  const stripePublishableKey = env.STRIPE_PUBLISHABLE_KEY || undefined;
  if (stripePublishableKey && !/^pk_(test|live)_[A-Za-z0-9_]+$/.test(stripePublishableKey))
    throw new ConfigError('STRIPE_PUBLISHABLE_KEY', 'must be a publishable key (pk_test_… or pk_live_…)');
  return {
    port,
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl,
    dataDir,
    eventStoreUrl,
    operatorApiKey: operator.key,
    encryptionKey: encryptionKey(env, production, dataDir),
    stripeSecretKey: env.STRIPE_SECRET_KEY || 'sk_test_partnerflow_dev',
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
    stripeConnectWebhookSecret: env.STRIPE_CONNECT_WEBHOOK_SECRET || undefined,
    stripePlatformCountry: platformCountry(env),
    stripeFees: stripeFees(env),
    stripeApiBase,
    logLevel: env.LOG_LEVEL || 'info',
    role,
    runBackgroundJobs: role !== 'web' && env.BACKGROUND_JOBS !== 'off',
    ...(metricsPort !== undefined && { metricsPort }),
    publicUrl,
    stripeJsUrl,
    stripePublishableKey,
    authFailuresPerMinute: parseCount('AUTH_FAILURES_PER_MINUTE', env.AUTH_FAILURES_PER_MINUTE ?? '30'),
    ...mailConfig(env),
    webhookAllowPrivate: parseBoolean('WEBHOOK_ALLOW_PRIVATE', env.WEBHOOK_ALLOW_PRIVATE),
    outboundRetryBaseMs: Math.max(1, parseCount('OUTBOUND_RETRY_BASE_MS', env.OUTBOUND_RETRY_BASE_MS ?? '60000')),
    ...(operator.generated && { generatedOperatorKey: operator.generated }),
    trustProxy: trustProxy(env.TRUST_PROXY),
    trackingClicksPerMinute: positiveInt('TRACKING_CLICKS_PER_MINUTE', env.TRACKING_CLICKS_PER_MINUTE, 120),
  };
}

/** `true`, a hop count, or Express's list of addresses/subnets/`loopback`…; unset or `false`: the socket's address. */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  if (!/^[0-9A-Za-z.:/, _-]+$/.test(raw))
    throw new ConfigError('TRUST_PROXY', `must be true, a hop count, or addresses/subnets (e.g. "loopback, 10.0.0.0/8"), got "${raw}"`);
  return raw;
}

function positiveInt(variable: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(variable, `must be a positive integer, got "${raw}"`);
  return n;
}

function required(variable: string): ConfigError {
  return new ConfigError(
    variable,
    'must be set when DATABASE_URL is set or NODE_ENV=production (keys are generated only for the embedded development database)',
  );
}

function parsePort(raw: string, variable = 'PORT'): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(variable, `must be an integer 0-65535, got "${raw}"`);
  return port;
}

function parseCount(variable: string, raw: string): number {
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(n)) throw new ConfigError(variable, `must be a whole number, got "${raw}"`);
  return n;
}

function parseBoolean(variable: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(variable, `must be true or false, got "${raw}"`);
}

function mailConfig(env: Env): { mail?: { smtpUrl: string; from: string } } {
  const smtpUrl = env.SMTP_URL || undefined;
  if (!smtpUrl) return {};
  // never echoed: it may hold the SMTP password
  if (!URL.canParse(smtpUrl) || !/^smtps?:$/.test(new URL(smtpUrl).protocol)) throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL');
  const from = env.MAIL_FROM || undefined;
  if (!from) throw new ConfigError('MAIL_FROM', 'must be set when SMTP_URL is set (the sender address, e.g. "Acme Partners <partners@acme.test>")');
  return { mail: { smtpUrl, from } };
}

function parseUrl(variable: string, raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(variable, `must be a URL, got "${raw}"`);
  }
}

function operatorKey(env: Env, production: boolean, dataDir: string): { key: string; generated?: { key: string; file: string } } {
  const key = env.OPERATOR_API_KEY;
  if (key === undefined || key === '') {
    if (production) throw required('OPERATOR_API_KEY');
    const kept = localSecret(dataDir, 'operator-api-key', () => `op_${randomBytes(32).toString('base64url')}`);
    return { key: kept.value, ...(kept.created && { generated: { key: kept.value, file: kept.file } }) };
  }
  if (key.length < 16) throw new ConfigError('OPERATOR_API_KEY', 'must be at least 16 characters');
  return { key };
}

function encryptionKey(env: Env, production: boolean, dataDir: string): Buffer {
  const raw = env.ENCRYPTION_KEY || undefined;
  if (raw === undefined) {
    if (production) throw required('ENCRYPTION_KEY');
    // A data directory from a version that used a fixed development key holds secrets this one cannot read.
    if (!existsSync(join(dataDir, 'encryption-key')) && existsSync(join(dataDir, 'postgres', 'PG_VERSION'))) {
      throw new ConfigError(
        'ENCRYPTION_KEY',
        `is not set and ${dataDir} holds a database made before keys were generated: remove ${dataDir} (development data) or set ENCRYPTION_KEY to the key it was written with`,
      );
    }
    return parseEncryptionKey(localSecret(dataDir, 'encryption-key', randomKeyHex).value, 'kept in the data directory');
  }
  return parseEncryptionKey(raw);
}

function parseEncryptionKey(raw: string, from = ''): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('ENCRYPTION_KEY', `must be 32 bytes, as 64 hex characters or base64${from && ` (${from})`}`);
  }
  return key;
}

export const randomKeyHex = (): string => randomBytes(32).toString('hex');
