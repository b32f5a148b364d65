import { minorUnitExponent, normalizeCurrency } from '../money/index.js';

/**
 * Stripe's rules for a charge `amount` beyond its minor unit (docs.stripe.com/currencies):
 * - three-decimal currencies (bhd, jod, kwd, omr, tnd): "the least-significant (last) digit must be 0", i.e. a
 *   multiple of 10 minor units (5.124 KWD is charged as 5120);
 * - isk and ugx "transitioned to a zero-decimal currency, but backward compatibility requires you to represent it as a
 *   two-decimal value, where the decimal amount is always 00": a multiple of 100 (the money kernel gives both exponent 2);
 * - huf and twd are zero-decimal for payouts only: charges take any two-decimal amount, so no rule here.
 */
export function chargeIncrement(currency: string): number {
  const code = normalizeCurrency(currency);
  if (code === 'isk' || code === 'ugx') return 100;
  return minorUnitExponent(code) === 3 ? 10 : 1;
}

/**
 * Stripe's minimum charge per settlement currency, in minor units ("Minimum charge amount by currency"). A charge in a
 * currency the account does not settle in must convert to the settlement currency's minimum; Stripe decides that with
 * its own rate, so for other currencies no minimum is asserted here and Stripe's answer (amount_too_small) stands.
 */
export const STRIPE_MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  usd: 50,
  aed: 200,
  ars: 50,
  aud: 50,
  brl: 50,
  cad: 50,
  chf: 50,
  cop: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  idr: 50,
  ils: 50,
  inr: 50,
  jpy: 50,
  krw: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  php: 50,
  pln: 200,
  ron: 200,
  rub: 50,
  sek: 300,
  sgd: 50,
  thb: 1000,
  zar: 50,
};

export const minimumCharge = (currency: string): number | null => STRIPE_MINIMUM_CHARGE[normalizeCurrency(currency)] ?? null;
