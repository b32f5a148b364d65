import { minorUnitExponent } from './currency.js';

/**
 * An amount in minor units as a plain decimal in major units with the currency's exponent (Stripe's rules):
 * 1050 usd → "10.50", 1050 jpy → "1050", -5 kwd → "-0.005". Exact for any integer: it moves the decimal point in
 * the digits, no floats (exports call it millions of times, so no BigInt either).
 */
export function toMajorUnits(amount: number | bigint | string, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const text = String(amount);
  if (!/^-?\d+$/.test(text)) throw new RangeError(`not an amount in minor units: ${text}`);
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).replace(/^0+(?=\d)/, '').padStart(exponent + 1, '0');
  const sign = negative && /[1-9]/.test(digits) ? '-' : '';
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
