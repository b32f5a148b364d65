import { minorUnitExponent } from '../../../libs/money/currency.js';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, exponent: number): Intl.NumberFormat {
  const key = `${currency}:${exponent}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, f);
  }
  return f;
}

/** The exact decimal of an integer amount in minor units, as a string (no float on the way). */
export function decimalOf(amount: number, exponent: number): string {
  const negative = amount < 0;
  const digits = String(Math.abs(Math.trunc(amount))).padStart(exponent + 1, '0');
  const whole = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return negative ? `-${whole}` : whole;
}

/** Minor units → the currency's display, with the API's (Stripe's) exponent: JPY 0 decimals, KWD 3. */
export function formatMoney(amount: number, currency: string): string {
  let exponent: number;
  try {
    exponent = minorUnitExponent(currency);
  } catch {
    return `${amount} ${currency}`;
  }
  // a decimal string keeps every digit (Intl formats strings exactly)
  return formatter(currency, exponent).format(decimalOf(amount, exponent) as unknown as number);
}

/** "12.34" in the currency → minor units, or undefined when it is not an amount with at most the currency's decimals. */
export function parseMoney(text: string, currency: string): number | undefined {
  const exponent = minorUnitExponent(currency);
  const m = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m || (m[2]?.length ?? 0) > exponent) return undefined;
  return Number(`${m[1]}${(m[2] ?? '').padEnd(exponent, '0')}`);
}

export const currencyExponent = (currency: string): number => minorUnitExponent(currency);
