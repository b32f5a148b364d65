import { parseDecimal } from './decimal.js';
import { InvalidArgument } from './errors.js';
import { add, compare, money, moneyFromBigInt, subtract, type Money } from './money.js';
import { percentOf } from './percent.js';

/**
 * The smallest charge that still leaves `net` once a fee of `percent`% of the charge plus `fixed` is taken (the
 * percentage rounded once, half-even, by percentOf): the charge g with g − (percentOf(g) + fixed) ≥ net. Answers
 * the charge and that fee; `gross − fee − net` (0, or a minor unit where rounding leaves no exact fit) stays with
 * whoever takes the charge.
 */
export function grossUp(net: Money, percent: number | string, fixed: Money): { gross: Money; fee: Money } {
  const target = money(net.amount, net.currency);
  if (target.amount < 0) throw new InvalidArgument(`net must not be negative, got ${target.amount}`);
  if (fixed.amount < 0) throw new InvalidArgument(`fixed fee must not be negative, got ${fixed.amount}`);
  const p = parseDecimal(percent);
  const whole = 100n * 10n ** BigInt(p?.scale ?? 0);
  if (!p || p.units >= whole) throw new InvalidArgument(`percent must be a decimal in [0, 100), got ${String(percent)}`);
  const feeOf = (gross: Money) => add(percentOf(gross, percent), fixed);
  const leaves = (gross: Money) => compare(subtract(gross, feeOf(gross)), target) >= 0;
  // Exact lower bound (net + fixed) / (1 − p), then the few steps the fee's rounding may need.
  const base = BigInt(add(target, fixed).amount) * whole;
  let gross = moneyFromBigInt(base / (whole - p.units), target.currency);
  while (gross.amount > 0 && leaves(money(gross.amount - 1, gross.currency))) gross = money(gross.amount - 1, gross.currency);
  while (!leaves(gross)) gross = money(gross.amount + 1, gross.currency);
  return { gross, fee: feeOf(gross) };
}
