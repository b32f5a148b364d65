import { describe, expect, it } from '@jest/globals';
import { chargeIncrement, minimumCharge } from './amount-rules.js';

describe('Stripe amount rules', () => {
  it.each([
    ['kwd', 10],
    ['bhd', 10],
    ['jod', 10],
    ['omr', 10],
    ['tnd', 10],
    ['isk', 100],
    ['ugx', 100],
    ['KWD', 10],
    ['usd', 1],
    ['eur', 1],
    ['jpy', 1],
    ['huf', 1],
    ['twd', 1],
  ])('%s charges in multiples of %p minor units', (currency, increment) => {
    expect(chargeIncrement(currency)).toBe(increment);
  });

  it('knows Stripe’s minimum per settlement currency and asserts none for the others', () => {
    expect([minimumCharge('usd'), minimumCharge('gbp'), minimumCharge('jpy'), minimumCharge('huf'), minimumCharge('mxn')]).toEqual([50, 30, 50, 17500, 1000]);
    expect(minimumCharge('kwd')).toBeNull();
  });
});
