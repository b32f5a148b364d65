import { describe, it, expect } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has working defaults with no environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.eventStoreUrl).toBeUndefined();
    expect(c.encryptionKey).toHaveLength(32);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['EVENTSTORE_URL', { EVENTSTORE_URL: 'http://x:2113' }],
    ['ENCRYPTION_KEY', { ENCRYPTION_KEY: 'short' }],
    ['OPERATOR_API_KEY', { OPERATOR_API_KEY: 'tiny' }],
    ['STRIPE_API_BASE', { STRIPE_API_BASE: 'not a url' }],
  ])('names %s when it is invalid', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('accepts a hex or base64 encryption key of 32 bytes', () => {
    expect(loadConfig({ ENCRYPTION_KEY: 'ab'.repeat(32) }).encryptionKey).toEqual(Buffer.alloc(32, 0xab));
    expect(loadConfig({ ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).encryptionKey).toEqual(Buffer.alloc(32, 7));
  });
});
