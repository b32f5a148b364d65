import { parseDecimal, type Decimal } from './decimal.js';
import { InvalidArgument } from './errors.js';
import { money, moneyFromBigInt, type Money } from './money.js';
import { divideRounded } from './rounding.js';

function parsePercent(percent: number | string): Decimal {
  const parsed = parseDecimal(percent);
  if (!parsed) throw new InvalidArgument(`percent must be a non-negative decimal, got ${String(percent)}`);
  return parsed;
}

/** `percent`% of m (20, 12.5 or "7.25"), in m's minor units, rounded half-even. */
export function percentOf(m: Money, percent: number | string): Money {
  const from = money(m.amount, m.currency);
  const { units, scale } = parsePercent(percent);
  const denominator = 100n * 10n ** BigInt(scale);
  return moneyFromBigInt(divideRounded(BigInt(from.amount) * units, denominator), from.currency);
}

/**
 * m × part / whole, rounded half-even (e.g. the commission share of a 3000-of-10000 refund).
 * Prorating each piece of a partition separately need not sum back to m; use allocate for that.
 */
export function prorate(m: Money, part: number, whole: number): Money {
  const from = money(m.amount, m.currency);
  if (!Number.isSafeInteger(whole) || whole <= 0) {
    throw new InvalidArgument(`whole must be a positive safe integer, got ${String(whole)}`);
  }
  if (!Number.isSafeInteger(part) || part < 0 || part > whole) {
    throw new InvalidArgument(`part must be a safe integer in [0, ${whole}], got ${String(part)}`);
  }
  return moneyFromBigInt(divideRounded(BigInt(from.amount) * BigInt(part), BigInt(whole)), from.currency);
}

/**
 * Splits m in proportion to non-negative weights so the parts sum exactly to m: each part gets
 * the floor of its exact share and the leftover minor units go to the largest remainders
 * (ties to the earlier index). Negative amounts are split as the negation of their absolute value.
 */
export function allocate(m: Money, weights: readonly number[]): Money[] {
  const from = money(m.amount, m.currency);
  const parsed = weights.map((weight) => {
    const decimal = parseDecimal(weight);
    if (!decimal) throw new InvalidArgument(`weights must be non-negative decimals, got ${String(weight)}`);
    return decimal;
  });
  const scale = Math.max(0, ...parsed.map((d) => d.scale));
  const integerWeights = parsed.map((d) => d.units * 10n ** BigInt(scale - d.scale));
  const totalWeight = integerWeights.reduce((a, b) => a + b, 0n);
  if (totalWeight === 0n) throw new InvalidArgument('allocate needs at least one positive weight');

  const sign = from.amount < 0 ? -1n : 1n;
  const total = BigInt(from.amount) * sign;
  const shares = integerWeights.map((weight, index) => ({
    index,
    base: (total * weight) / totalWeight,
    remainder: (total * weight) % totalWeight,
  }));
  let leftover = total - shares.reduce((acc, share) => acc + share.base, 0n);
  const byRemainder = [...shares].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    share.base += 1n;
    leftover -= 1n;
  }
  return shares.map((share) => moneyFromBigInt(share.base * sign, from.currency));
}
