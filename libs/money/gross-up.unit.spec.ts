import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidArgument } from './errors.js';
import { grossUp } from './gross-up.js';
import { money } from './money.js';
import { percentOf } from './percent.js';

describe('grossUp', () => {
  it('2.9 % + 30¢ on 100.00 USD: charge 103.30, fee 3.30, exactly 100.00 left', () => {
    expect(grossUp(money(10_000, 'usd'), '2.9', money(30, 'usd'))).toEqual({ gross: money(10_330, 'usd'), fee: money(330, 'usd') });
  });

  it('no fee: the charge is the net', () => {
    expect(grossUp(money(12_345, 'eur'), 0, money(0, 'eur'))).toEqual({ gross: money(12_345, 'eur'), fee: money(0, 'eur') });
  });

  it('zero-decimal currencies round to whole yen', () => {
    const { gross, fee } = grossUp(money(10_000, 'jpy'), '3.6', money(0, 'jpy'));
    expect(gross.amount - fee.amount).toBeGreaterThanOrEqual(10_000);
    expect(gross.amount - 1 - percentOf(money(gross.amount - 1, 'jpy'), '3.6').amount).toBeLessThan(10_000);
  });

  it('is the smallest charge that leaves the net, for any net, percent and fixed fee', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 500 }), (net, basisPoints, fixed) => {
        const percent = (basisPoints / 100).toFixed(2);
        const { gross, fee } = grossUp(money(net, 'usd'), percent, money(fixed, 'usd'));
        expect(fee.amount).toBe(percentOf(gross, percent).amount + fixed);
        expect(gross.amount - fee.amount).toBeGreaterThanOrEqual(net);
        const less = money(gross.amount - 1, 'usd');
        expect(less.amount - percentOf(less, percent).amount - fixed).toBeLessThan(net);
      }),
    );
  });

  it('refuses a percent of 100 or more, negative figures and other currencies', () => {
    expect(() => grossUp(money(100, 'usd'), 100, money(0, 'usd'))).toThrow(InvalidArgument);
    expect(() => grossUp(money(100, 'usd'), '-1', money(0, 'usd'))).toThrow(InvalidArgument);
    expect(() => grossUp(money(-1, 'usd'), 1, money(0, 'usd'))).toThrow(InvalidArgument);
    expect(() => grossUp(money(100, 'usd'), 1, money(30, 'eur'))).toThrow('currency mismatch');
  });
});
