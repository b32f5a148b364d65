import { minorUnitExponent } from './currency.js';

/**
 * An amount in minor units as a plain decimal in major units with the currency's exponent (Stripe's rules):
 * 1050 usd → "10.50", 1050 jpy → "1050", -5 kwd → "-0.005". Exact for any integer (no floats).
 */
export function toMajorUnits(amount: number | bigint | string, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const minor = BigInt(amount);
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  const sign = minor < 0n ? '-' : '';
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
