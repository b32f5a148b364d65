import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CurrencyMismatch, InvalidCurrency, InvalidRate } from './errors.js';
import { convert, fxRate, rederive, type FxRate } from './fx.js';
import { money, sum } from './money.js';

const rate = (base: string, quote: string, value: number | string): FxRate =>
  fxRate({ id: `fx_${base}_${quote}`, base, quote, rate: value, asOf: '2025-03-14', source: 'ecb' });

describe('convert', () => {
  it.each([
    // amount, from, base, quote, rate, expected, to, inverted
    [1000, 'usd', 'usd', 'jpy', 151.37, 1514, 'jpy', false], // 10.00 usd -> 1513.7 yen
    [1514, 'jpy', 'usd', 'jpy', 151.37, 1000, 'usd', true], // 1514 / 151.37 = 10.00198 usd
    [10000, 'jpy', 'jpy', 'usd', 0.0066, 6600, 'usd', false], // 66.00 usd
    [1000, 'jpy', 'jpy', 'kwd', 0.00205, 2050, 'kwd', false], // 2.050 kwd
    [1000, 'usd', 'usd', 'kwd', 0.3075, 3075, 'kwd', false], // 3.075 kwd
    [1500, 'kwd', 'kwd', 'jpy', 492.26, 738, 'jpy', false], // 1.500 kwd -> 738.39 yen
    [738, 'jpy', 'kwd', 'jpy', 492.26, 1499, 'kwd', true], // 1.49919 kwd
    [1999, 'eur', 'eur', 'usd', 1.0845, 2168, 'usd', false], // 21.679155 usd
    [1000, 'eur', 'usd', 'eur', 0.9234, 1083, 'usd', true], // 10.829 usd
    [1050, 'usd', 'usd', 'jpy', 1, 10, 'jpy', false], // 10.5 tie -> 10
    [1150, 'usd', 'usd', 'jpy', 1, 12, 'jpy', false], // 11.5 tie -> 12
    [-1050, 'usd', 'usd', 'jpy', 1, -10, 'jpy', false],
  ] as const)('%p %s with %s/%s %p -> %p %s', (amount, from, base, quote, value, expected, to, inverted) => {
    const fx = rate(base, quote, value);
    const conversion = convert(money(amount, from), fx);
    expect(conversion).toEqual({
      from: money(amount, from),
      to: money(expected, to),
      rate: String(value),
      rateId: fx.id,
      asOf: '2025-03-14',
      source: 'ecb',
      inverted,
    });
  });

  it('refuses money in neither currency of the rate', () => {
    expect(() => convert(money(100, 'gbp'), rate('usd', 'jpy', 151.37))).toThrow(CurrencyMismatch);
  });

  it('validates a hand-built rate', () => {
    const fx = rate('usd', 'jpy', 151.37);
    for (const bad of ['0', '-1', 'abc', '', 'NaN', 'Infinity', '1e999']) {
      expect(() => convert(money(100, 'usd'), { ...fx, rate: bad })).toThrow(InvalidRate);
    }
  });
});

describe('fxRate', () => {
  it('normalizes currencies and writes the rate as a plain exact decimal', () => {
    expect(rate('USD', 'JPY', '151.370')).toMatchObject({ base: 'usd', quote: 'jpy', rate: '151.37' });
    expect(rate('usd', 'vnd', 25000).rate).toBe('25000');
    expect(rate('btn', 'usd', 1e-7).rate).toBe('0.0000001');
    expect(rate('usd', 'vnd', 1.5e21).rate).toBe('1500000000000000000000');
    expect(rate('usd', 'eur', 0.1).rate).toBe('0.1');
  });

  it('rejects unusable rates', () => {
    for (const bad of [0, -1, NaN, Infinity, -Infinity, '', '0.000', '+1', '1.', '.5', '1/2']) {
      expect(() => rate('usd', 'eur', bad)).toThrow(InvalidRate);
    }
    expect(() => rate('usd', 'usd', 1)).toThrow(InvalidRate);
    expect(() => rate('usd', 'zzz', 1)).toThrow(InvalidCurrency);
    expect(() => fxRate({ ...rate('usd', 'eur', 1), asOf: 'yesterday' })).toThrow(InvalidRate);
  });
});

describe('convert properties', () => {
  const currencies = ['usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd'];
  // rate in [0.0001, 10000] so results stay in the safe-integer range
  const rateText = fc.tuple(fc.integer({ min: 100, max: 1000000 }), fc.integer({ min: 2, max: 6 })).map(([units, scale]) => {
    const digits = String(units).padStart(scale + 1, '0');
    return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  });
  const pairRate = fc
    .tuple(fc.constantFrom(...currencies), fc.constantFrom(...currencies), rateText, fc.boolean())
    .filter(([base, quote]) => base !== quote)
    .map(([base, quote, value, fromQuote]) => ({ fx: rate(base, quote, value), from: fromQuote ? quote : base }));

  it('rederive(convert(m)) reproduces the conversion exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 8), max: 10 ** 8 }), pairRate, (amount, { fx, from }) => {
        const conversion = convert(money(amount, from), fx);
        expect(rederive(conversion)).toEqual(conversion);
      }),
    );
  });

  it('is monotonic', () => {
    const amount = fc.integer({ min: -(10 ** 8), max: 10 ** 8 });
    fc.assert(
      fc.property(amount, amount, pairRate, (a, b, { fx, from }) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(convert(money(low, from), fx).to.amount).toBeLessThanOrEqual(convert(money(high, from), fx).to.amount);
      }),
    );
  });

  it('convert of a sum differs from the sum of converts by at most ceil(n/2) minor units', () => {
    // each half-even rounding is off by <= 1/2, so |convert(Σ) - Σconvert| <= (n + 1) / 2;
    // same-sign amounts keep errors from cancelling, so truncation or half-up would be caught
    const amounts = fc.array(fc.integer({ min: 0, max: 10 ** 6 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(amounts, pairRate, (values, { fx, from }) => {
        const items = values.map((value) => money(value, from));
        const converted = items.map((item) => convert(item, fx).to);
        const ofSum = convert(sum(items, from), fx).to;
        const difference = Math.abs(ofSum.amount - sum(converted, ofSum.currency).amount);
        expect(difference).toBeLessThanOrEqual(Math.floor((values.length + 1) / 2));
      }),
    );
  });
});
