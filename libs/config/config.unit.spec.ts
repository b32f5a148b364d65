import { describe, it, expect, afterEach } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { writeDatabaseUrlFile } from '../database/database-url-file.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-config-'));
  dirs.push(dir);
  return join(dir, 'data');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('config', () => {
  it('has working defaults with no environment but a data directory: keys generated once, kept 0600, the operator key shown on the first start only', () => {
    const DATA_DIR = dataDir();
    const c = loadConfig({ DATA_DIR });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.eventStoreUrl).toBeUndefined();
    expect(c.encryptionKey).toHaveLength(32);
    expect(c.operatorApiKey).toMatch(/^op_[A-Za-z0-9_-]{43}$/);
    expect(c.generatedOperatorKey).toEqual({ key: c.operatorApiKey, file: join(DATA_DIR, 'operator-api-key') });
    for (const file of ['operator-api-key', 'encryption-key']) expect(statSync(join(DATA_DIR, file)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(DATA_DIR, 'encryption-key'), 'utf8').trim()).toBe(c.encryptionKey.toString('hex'));

    const again = loadConfig({ DATA_DIR });
    expect(again.operatorApiKey).toBe(c.operatorApiKey);
    expect(again.encryptionKey).toEqual(c.encryptionKey);
    expect(again.generatedOperatorKey).toBeUndefined();
    // another data directory, other keys: nothing is a fixed default
    const other = loadConfig({ DATA_DIR: dataDir() });
    expect(other.operatorApiKey).not.toBe(c.operatorApiKey);
    expect(other.encryptionKey).not.toEqual(c.encryptionKey);
  });

  it.each([
    ['OPERATOR_API_KEY', { DATABASE_URL: 'postgres://h/db', ENCRYPTION_KEY: 'ab'.repeat(32) }],
    ['ENCRYPTION_KEY', { DATABASE_URL: 'postgres://h/db', OPERATOR_API_KEY: 'op_0123456789abcdef' }],
    ['OPERATOR_API_KEY', { NODE_ENV: 'production', ENCRYPTION_KEY: 'ab'.repeat(32) }],
    ['ENCRYPTION_KEY', { NODE_ENV: 'production', OPERATOR_API_KEY: 'op_0123456789abcdef' }],
  ])('refuses to start without %s when DATABASE_URL is set or NODE_ENV=production, naming it', (variable, env) => {
    const DATA_DIR = dataDir();
    expect(() => loadConfig({ DATA_DIR, ...env })).toThrow(
      new ConfigError(variable, 'must be set when DATABASE_URL is set or NODE_ENV=production (keys are generated only for the embedded development database)'),
    );
  });

  it('refuses a data directory made with the old fixed development key, saying what to do', () => {
    const DATA_DIR = dataDir();
    mkdirSync(join(DATA_DIR, 'postgres'), { recursive: true });
    writeFileSync(join(DATA_DIR, 'postgres', 'PG_VERSION'), '18\n');
    expect(() => loadConfig({ DATA_DIR })).toThrow(/ENCRYPTION_KEY is not set and .* holds a database made before keys were generated: remove/);
    expect(loadConfig({ DATA_DIR, ENCRYPTION_KEY: 'ab'.repeat(32) }).encryptionKey).toEqual(Buffer.alloc(32, 0xab));
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['EVENTSTORE_URL', { EVENTSTORE_URL: 'http://x:2113' }],
    ['ENCRYPTION_KEY', { ENCRYPTION_KEY: 'short' }],
    ['OPERATOR_API_KEY', { OPERATOR_API_KEY: 'tiny' }],
    ['STRIPE_API_BASE', { STRIPE_API_BASE: 'not a url' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'partners.example' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://partners.example' }],
    ['STRIPE_JS_URL', { STRIPE_JS_URL: 'js.stripe' }],
    ['STRIPE_PUBLISHABLE_KEY', { STRIPE_PUBLISHABLE_KEY: 'sk_test_secret' }],
    ['TRACKING_CLICKS_PER_MINUTE', { TRACKING_CLICKS_PER_MINUTE: '0' }],
    ['TRACKING_CLICKS_PER_MINUTE', { TRACKING_CLICKS_PER_MINUTE: '1.5' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'loopback; drop table' }],
    ['ROLE', { ROLE: 'api' }],
    ['METRICS_PORT', { METRICS_PORT: 'nine' }],
  ])('names %s when it is invalid', (variable, env) => {
    const DATA_DIR = dataDir();
    expect(() => loadConfig({ DATA_DIR, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR, ...env })).toThrow(variable);
  });

  it('accepts a hex or base64 encryption key of 32 bytes', () => {
    const DATA_DIR = dataDir();
    expect(loadConfig({ DATA_DIR, ENCRYPTION_KEY: 'ab'.repeat(32) }).encryptionKey).toEqual(Buffer.alloc(32, 0xab));
    expect(loadConfig({ DATA_DIR, ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).encryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  it('reads the role (default all) and the metrics port; web runs no background work', () => {
    const DATA_DIR = dataDir();
    expect(loadConfig({ DATA_DIR })).toMatchObject({ role: 'all', runBackgroundJobs: true });
    expect(loadConfig({ DATA_DIR }).metricsPort).toBeUndefined();
    expect(loadConfig({ DATA_DIR, ROLE: 'web' })).toMatchObject({ role: 'web', runBackgroundJobs: false });
    expect(loadConfig({ DATA_DIR, ROLE: 'worker', METRICS_PORT: '9464' })).toMatchObject({ role: 'worker', runBackgroundJobs: true, metricsPort: 9464 });
  });

  it('a process joining the embedded database through DATA_DIR/database-url keeps the development defaults; another DATABASE_URL needs the keys', () => {
    const DATA_DIR = dataDir();
    const first = loadConfig({ DATA_DIR });
    const url = 'postgres://postgres:secret@127.0.0.1:54321/postgres';
    writeDatabaseUrlFile(DATA_DIR, url);
    expect(statSync(join(DATA_DIR, 'database-url')).mode & 0o777).toBe(0o600);
    const joining = loadConfig({ DATA_DIR, DATABASE_URL: url, ROLE: 'worker', PORT: '3001' });
    expect(joining).toMatchObject({ databaseUrl: url, host: '127.0.0.1', operatorApiKey: first.operatorApiKey, role: 'worker' });
    expect(joining.encryptionKey).toEqual(first.encryptionKey);
    expect(() => loadConfig({ DATA_DIR, DATABASE_URL: 'postgres://postgres:secret@db.example:5432/postgres' })).toThrow('OPERATOR_API_KEY');
  });

  it('the rebuild CLI (serving: false) needs no operator key', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', ENCRYPTION_KEY: 'ab'.repeat(32) }, { serving: false }).operatorApiKey).toMatch(/^op_unused_/);
  });

  it('reads the tracking limits and the proxies to trust', () => {
    expect(loadConfig({})).toMatchObject({ trackingClicksPerMinute: 120, trustProxy: false });
    expect(loadConfig({ TRACKING_CLICKS_PER_MINUTE: '600', TRUST_PROXY: 'loopback, 10.0.0.0/8' })).toMatchObject({
      trackingClicksPerMinute: 600,
      trustProxy: 'loopback, 10.0.0.0/8',
    });
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });
});
