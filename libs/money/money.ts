import { normalizeCurrency } from './currency.js';
import { CurrencyMismatch, InvalidMoney } from './errors.js';

/** An amount in integer minor units (cents, yen, fils) of a lower-case ISO 4217 currency. */
export type Money = { amount: number; currency: string };

/** Validated Money; the currency is normalized to lower case. */
export function money(amount: number, currency: string): Money {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw new InvalidMoney(`amount must be a safe integer of minor units, got ${String(amount)}`);
  }
  // + 0 turns -0 into 0 so equal amounts are also deep-equal.
  return { amount: amount + 0, currency: normalizeCurrency(currency) };
}

/** Money from an exact BigInt result; throws InvalidMoney when it leaves the safe-integer range. */
export function moneyFromBigInt(amount: bigint, currency: string): Money {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new InvalidMoney(`amount ${amount} exceeds the safe-integer range`);
  }
  return money(Number(amount), currency);
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatch(a.currency, b.currency);
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function negate(m: Money): Money {
  return money(-m.amount, m.currency);
}

/** Sum of items, all in `currency`; the currency is required so an empty list still has one. */
export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce(add, money(0, currency));
}

export function isZero(m: Money): boolean {
  return m.amount === 0;
}

/** -1, 0 or 1; only within one currency. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}
