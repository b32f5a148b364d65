import { describe, it, expect } from '@jest/globals';
import { canonicalJson, keyProblem, requestFingerprint } from './request-fingerprint.js';

describe('request fingerprint', () => {
  it('is the same for a body serialised in another key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1}');
    expect(requestFingerprint('POST', '/v1/leads', {}, { email: 'a@x.com', partnerId: 'p1' })).toBe(
      requestFingerprint('POST', '/v1/leads', {}, { partnerId: 'p1', email: 'a@x.com' }),
    );
  });

  it('differs by path, query, body and array order; an absent body is an empty one', () => {
    const base = requestFingerprint('POST', '/v1/invoices/inv_1/pay', {}, {});
    expect(requestFingerprint('POST', '/v1/invoices/inv_2/pay', {}, {})).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/invoices/inv_1/pay', { a: '1' }, {})).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/invoices/inv_1/pay', {}, { x: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/invoices/inv_1/pay', undefined, undefined)).toBe(base);
    expect(requestFingerprint('POST', '/v1/x', {}, { items: [1, 2] })).not.toBe(requestFingerprint('POST', '/v1/x', {}, { items: [2, 1] }));
  });

  it('takes keys of 1 to 255 printable ASCII characters', () => {
    expect(keyProblem('3c9ae5ea-980f-4ebd-a027-04529942b95e')).toBeUndefined();
    expect(keyProblem('k'.repeat(255))).toBeUndefined();
    expect(keyProblem('k'.repeat(256))).toMatch(/at most 255/);
    expect(keyProblem('')).toMatch(/empty/);
    expect(keyProblem('clé')).toMatch(/ASCII/);
  });
});
