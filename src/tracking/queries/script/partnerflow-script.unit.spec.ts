import { describe, it, expect } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { PARTNERFLOW_SCRIPT } from './partnerflow-script.js';

describe('partnerflow.js', () => {
  it('stays under 5 KB gzip', () => {
    expect(gzipSync(PARTNERFLOW_SCRIPT, { level: 9 }).length).toBeLessThanOrEqual(5 * 1024);
  });

  it('is valid JavaScript with no dependency and no template placeholders', () => {
    expect(() => new Function(PARTNERFLOW_SCRIPT)).not.toThrow();
    expect(PARTNERFLOW_SCRIPT).not.toMatch(/\brequire\(|\bimport\b|\$\{/);
  });
});
