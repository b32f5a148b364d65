import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { divideRounded } from './rounding.js';

describe('divideRounded (half-even)', () => {
  it.each([
    [1n, 2n, 0n], // 0.5
    [3n, 2n, 2n], // 1.5
    [5n, 2n, 2n], // 2.5
    [7n, 2n, 4n], // 3.5
    [-1n, 2n, 0n],
    [-3n, 2n, -2n],
    [-5n, 2n, -2n],
    [5n, -2n, -2n],
    [-5n, -2n, 2n],
    [7n, 4n, 2n], // 1.75
    [5n, 4n, 1n], // 1.25
    [-7n, 4n, -2n],
    [10n, 5n, 2n],
    [0n, 7n, 0n],
    [15137000n, 10000n, 1514n], // 1513.7
  ])('%p / %p = %p', (n, d, expected) => {
    expect(divideRounded(n, d)).toBe(expected);
  });

  it('rejects division by zero', () => {
    expect(() => divideRounded(1n, 0n)).toThrow(RangeError);
  });

  it('is symmetric and within half a unit of the exact quotient', () => {
    const nonZero = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).filter((d) => d !== 0n);
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), nonZero, (n, d) => {
        const q = divideRounded(n, d);
        expect(divideRounded(-n, d)).toBe(-q);
        const error = q * d - n; // (q - n/d) scaled by d
        const absError = error < 0n ? -error : error;
        const absD = d < 0n ? -d : d;
        expect(2n * absError <= absD).toBe(true);
        if (2n * absError === absD) expect(q % 2n).toBe(0n);
      }),
    );
  });
});
