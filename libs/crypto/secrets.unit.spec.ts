import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, hashApiKey, newApiKey, safeEqual } from './secrets.js';

describe('secrets', () => {
  const key = randomBytes(32);

  it('round-trips through AES-256-GCM with a fresh IV each time', () => {
    const a = encryptSecret('whsec_123', key);
    const b = encryptSecret('whsec_123', key);
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_123');
    expect(decryptSecret(a, key)).toBe('whsec_123');
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const stored = encryptSecret('whsec_123', key);
    const parts = stored.split('.');
    parts[3] = Buffer.from('forged').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), key)).toThrow();
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow();
  });

  it('hashes keys one-way and compares in constant time', () => {
    const k = newApiKey('pf_admin');
    expect(hashApiKey(k)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(k)).not.toBe(hashApiKey(newApiKey('pf_admin')));
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
