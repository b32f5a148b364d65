/**
 * THE rounding rule of Partnerflow: every money figure is computed as an exact rational with
 * BigInt and rounded once, to the nearest minor unit, ties to even (banker's rounding):
 * 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2. Rounding is symmetric: round(-x) === -round(x).
 * Half-even keeps sums of many rounded figures unbiased. Nothing else in the product rounds.
 */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('divideRounded: division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * The largest multiple of `increment` at or below `amount` (toward minus infinity), for amounts a payment rail takes only
 * in steps (Stripe: 10 fils, 100 ISK aurar). The remainder is the caller's to carry, never dropped.
 */
export function floorToMultiple(amount: number, increment: number): number {
  if (!Number.isSafeInteger(increment) || increment <= 0) throw new RangeError(`floorToMultiple: increment must be a positive integer, got ${increment}`);
  return amount - (((amount % increment) + increment) % increment);
}
