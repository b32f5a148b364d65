import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidArgument } from './errors.js';
import { money } from './money.js';
import { allocate, percentOf, prorate } from './percent.js';

type PercentRow = [currency: string, amount: number, percent: number | string, expected: number];

describe('percentOf', () => {
  it.each<PercentRow>([
    // half-even ties on 50%, identical in every exponent because the work is in minor units
    ...['usd', 'jpy', 'kwd'].flatMap((currency): PercentRow[] => [
      [currency, 1, 50, 0], // 0.5
      [currency, 3, 50, 2], // 1.5
      [currency, 5, 50, 2], // 2.5
      [currency, 7, 50, 4], // 3.5
      [currency, -5, 50, -2], // -2.5
      [currency, -3, 50, -2], // -1.5
    ]),
    ['usd', 10000, 20, 2000],
    ['usd', 999, 12.5, 125], // 124.875
  ])('%s: %p × %p%% = %p', (currency, amount, percent, expected) => {
    expect(percentOf(money(amount, currency), percent)).toEqual(money(expected, currency));
  });

  it('never scales by the currency exponent', () => {
    expect(percentOf(money(1000, 'jpy'), 20)).toEqual(money(200, 'jpy'));
    expect(percentOf(money(1000, 'kwd'), 20)).toEqual(money(200, 'kwd'));
    expect(percentOf(money(1234, 'jpy'), '7.25')).toEqual(money(89, 'jpy')); // 89.465
    expect(percentOf(money(12345, 'kwd'), 12.5)).toEqual(money(1543, 'kwd')); // 1543.125
    expect(percentOf(money(1000, 'usd'), '7.25')).toEqual(money(72, 'usd')); // 72.5 tie -> 72
    expect(percentOf(money(1000, 'usd'), 0.1)).toEqual(money(1, 'usd')); // exact 0.1, not the double
  });

  it('rejects invalid percents', () => {
    for (const bad of [-1, NaN, Infinity, '', 'abc', '-5', '1,5', ' 5']) {
      expect(() => percentOf(money(100, 'usd'), bad)).toThrow(InvalidArgument);
    }
  });

  it('stays within [0, amount] for amount >= 0 and percent in [0, 100]', () => {
    const percent = fc.integer({ min: 0, max: 10000 }).map((hundredths) => hundredths / 100);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), percent, (amount, p) => {
        const result = percentOf(money(amount, 'usd'), p).amount;
        expect(result).toBeGreaterThanOrEqual(0);
        expect(result).toBeLessThanOrEqual(amount);
      }),
    );
  });

  it('is within half a minor unit of the exact product', () => {
    // percent = units / 10^scale, written as decimal text, e.g. (725, 2) -> "7.25"
    const percent = fc.tuple(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 0, max: 4 }));
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), percent, (amount, [units, scale]) => {
        const digits = String(units).padStart(scale + 1, '0');
        const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        const result = BigInt(percentOf(money(amount, 'kwd'), text).amount);
        const denominator = 100n * 10n ** BigInt(scale);
        const error = result * denominator - BigInt(amount) * BigInt(units);
        expect(2n * (error < 0n ? -error : error) <= denominator).toBe(true);
      }),
    );
  });
});

describe('prorate', () => {
  it.each([
    ['usd', 2000, 3000, 10000, 600], // commission share of a 30% refund
    ['usd', 5, 1, 2, 2], // 2.5 -> 2
    ['jpy', 3, 1, 2, 2], // 1.5 -> 2
    ['kwd', -5, 1, 2, -2], // -2.5 -> -2
    ['kwd', 1000, 1, 3, 333],
    ['jpy', 1000, 2, 3, 667],
  ] as const)('%s: %p × %p / %p = %p', (currency, amount, part, whole, expected) => {
    expect(prorate(money(amount, currency), part, whole)).toEqual(money(expected, currency));
  });

  it('rejects impossible ratios', () => {
    const m = money(100, 'usd');
    for (const [part, whole] of [
      [1, 0],
      [1, -2],
      [3, 2],
      [-1, 2],
      [0.5, 2],
      [1, NaN],
    ]) {
      expect(() => prorate(m, part, whole)).toThrow(InvalidArgument);
    }
  });
});

describe('allocate', () => {
  it('splits by largest remainder, ties to the earlier part', () => {
    expect(allocate(money(100, 'usd'), [1, 1, 1]).map((m) => m.amount)).toEqual([34, 33, 33]);
    expect(allocate(money(-100, 'usd'), [1, 1, 1]).map((m) => m.amount)).toEqual([-34, -33, -33]);
    expect(allocate(money(5, 'jpy'), [0.3, 0.7]).map((m) => m.amount)).toEqual([2, 3]); // 1.5, 3.5: equal remainders, earlier wins
    expect(allocate(money(10, 'kwd'), [0, 1, 2]).map((m) => m.amount)).toEqual([0, 3, 7]);
    expect(allocate(money(0, 'usd'), [1, 2])).toEqual([money(0, 'usd'), money(0, 'usd')]);
  });

  it('rejects unusable weights', () => {
    const m = money(100, 'usd');
    for (const weights of [[], [0, 0], [1, -1], [NaN]]) {
      expect(() => allocate(m, weights)).toThrow(InvalidArgument);
    }
  });

  it('sums exactly to the total and each part is the floor or ceiling of its exact share', () => {
    const weights = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => w > 0));
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), weights, (amount, ws) => {
        const parts = allocate(money(amount, 'eur'), ws).map((m) => BigInt(m.amount));
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(BigInt(amount));
        const totalWeight = BigInt(ws.reduce((a, b) => a + b, 0));
        parts.forEach((part, i) => {
          const distance = part * totalWeight - BigInt(amount) * BigInt(ws[i]); // (part - exact) × W
          expect((distance < 0n ? -distance : distance) < totalWeight).toBe(true);
        });
      }),
    );
  });

  it('over a partition of whole, matches prorate within 1 unit while prorate alone may drift', () => {
    const partition = fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 12 }).filter((ps) => ps.some((p) => p > 0));
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), partition, (amount, parts) => {
        const m = money(amount, 'usd');
        const whole = parts.reduce((a, b) => a + b, 0);
        const prorated = parts.map((part) => prorate(m, part, whole).amount);
        const allocated = allocate(m, parts).map((x) => x.amount);
        expect(allocated.reduce((a, b) => a + b, 0)).toBe(amount);
        allocated.forEach((x, i) => expect(Math.abs(x - prorated[i])).toBeLessThanOrEqual(1));
        const drift = Math.abs(prorated.reduce((a, b) => a + b, 0) - amount);
        expect(drift).toBeLessThanOrEqual(Math.floor(parts.length / 2));
      }),
    );
  });
});
