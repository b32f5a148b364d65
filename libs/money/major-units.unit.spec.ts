import { describe, it, expect } from '@jest/globals';
import { toMajorUnits } from './major-units.js';

describe('toMajorUnits', () => {
  it('uses the currency exponent and keeps its zeros', () => {
    expect(toMajorUnits(1050, 'usd')).toBe('10.50');
    expect(toMajorUnits(5, 'eur')).toBe('0.05');
    expect(toMajorUnits(0, 'usd')).toBe('0.00');
    expect(toMajorUnits(1050, 'jpy')).toBe('1050');
    expect(toMajorUnits(1234, 'kwd')).toBe('1.234');
    expect(toMajorUnits('-5', 'KWD')).toBe('-0.005');
    expect(toMajorUnits(-1999, 'usd')).toBe('-19.99');
  });

  it('is exact past the safe integer range, and refuses what is not an integer', () => {
    expect(toMajorUnits(12345678901234567890n, 'usd')).toBe('123456789012345678.90');
    expect(toMajorUnits('-0', 'usd')).toBe('0.00');
    expect(toMajorUnits('007', 'usd')).toBe('0.07');
    expect(() => toMajorUnits('1.5', 'usd')).toThrow(RangeError);
    expect(() => toMajorUnits(1e21, 'usd')).toThrow(RangeError);
  });
});
