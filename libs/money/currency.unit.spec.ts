import { describe, expect, it } from '@jest/globals';
import { isValidCurrency, minorUnitExponent, normalizeCurrency } from './currency.js';
import { InvalidCurrency, MoneyError } from './errors.js';

describe('currency', () => {
  it.each([
    ['usd', 2],
    ['eur', 2],
    ['isk', 2],
    ['jpy', 0],
    ['krw', 0],
    ['ugx', 2],
    ['xof', 0],
    ['kwd', 3],
    ['bhd', 3],
    ['jod', 3],
    ['omr', 3],
    ['tnd', 3],
    ['JPY', 0],
  ])('%s has exponent %p', (code, exponent) => {
    expect(minorUnitExponent(code)).toBe(exponent);
  });

  it('accepts ISO codes in any case and rejects others', () => {
    expect(isValidCurrency('usd')).toBe(true);
    expect(isValidCurrency('GBP')).toBe(true);
    for (const code of ['', 'us', 'usdd', 'abc', 'xau', 'xxx', ' usd']) expect(isValidCurrency(code)).toBe(false);
  });

  it('normalizes to lower case or throws InvalidCurrency', () => {
    expect(normalizeCurrency('EUR')).toBe('eur');
    expect(() => normalizeCurrency('zzz')).toThrow(InvalidCurrency);
    expect(() => minorUnitExponent('zzz')).toThrow(InvalidCurrency);
    try {
      normalizeCurrency('zzz');
    } catch (error) {
      expect(error).toBeInstanceOf(MoneyError);
      expect((error as MoneyError).code).toBe('invalid_currency');
    }
  });
});
