import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CurrencyMismatch, InvalidCurrency, InvalidMoney } from './errors.js';
import { add, compare, isZero, money, negate, subtract, sum } from './money.js';

describe('money', () => {
  it('validates and normalizes', () => {
    expect(money(1050, 'USD')).toEqual({ amount: 1050, currency: 'usd' });
    expect(money(-0, 'usd')).toEqual({ amount: 0, currency: 'usd' });
    for (const bad of [1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => money(bad, 'usd')).toThrow(InvalidMoney);
    }
    expect(() => money(1, 'usx')).toThrow(InvalidCurrency);
  });

  it('adds, subtracts, negates, sums and compares within one currency', () => {
    const a = money(1000, 'usd');
    const b = money(250, 'usd');
    expect(add(a, b)).toEqual(money(1250, 'usd'));
    expect(subtract(b, a)).toEqual(money(-750, 'usd'));
    expect(negate(money(0, 'usd'))).toEqual(money(0, 'usd'));
    expect(sum([a, b, b], 'usd')).toEqual(money(1500, 'usd'));
    expect(sum([], 'jpy')).toEqual(money(0, 'jpy'));
    expect([compare(a, b), compare(b, a), compare(a, a)]).toEqual([1, -1, 0]);
    expect(isZero(subtract(a, a))).toBe(true);
  });

  it('refuses to mix currencies', () => {
    const usd = money(1, 'usd');
    const eur = money(1, 'eur');
    expect(() => add(usd, eur)).toThrow(CurrencyMismatch);
    expect(() => subtract(usd, eur)).toThrow(CurrencyMismatch);
    expect(() => compare(usd, eur)).toThrow(CurrencyMismatch);
    expect(() => sum([usd], 'eur')).toThrow(CurrencyMismatch);
  });

  it('throws instead of leaving the safe-integer range', () => {
    expect(() => add(money(Number.MAX_SAFE_INTEGER, 'usd'), money(1, 'usd'))).toThrow(InvalidMoney);
  });

  it('add and subtract are inverse', () => {
    const amount = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
    fc.assert(
      fc.property(amount, amount, (x, y) => {
        expect(subtract(add(money(x, 'eur'), money(y, 'eur')), money(y, 'eur'))).toEqual(money(x, 'eur'));
      }),
    );
  });
});
