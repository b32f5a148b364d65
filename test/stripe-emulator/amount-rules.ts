import { invalidRequest } from './errors.js';

/**
 * Stripe's amount rules for charges (docs.stripe.com/currencies), kept apart from the app's copy so a mistake there is
 * caught here. The emulated platform settles in USD.
 */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
/** "Minimum charge amount by currency" (settlement currencies), minor units. */
const MINIMUM: Record<string, number> = {
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
/** Indicative USD value of one major unit, for the "must convert to at least 50 cents" check of other currencies. */
const USD_PER_UNIT: Record<string, number> = { kwd: 3.25, bhd: 2.65, jod: 1.41, omr: 2.6, tnd: 0.32, isk: 0.0072, ugx: 0.00027 };
const SYMBOL: Record<string, string> = { usd: '$', eur: '€', gbp: '£', cad: '$', aud: '$', nzd: '$', sgd: '$', hkd: '$', mxn: '$', jpy: '¥' };

const exponent = (currency: string) => (ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2);
const major = (amount: number, currency: string) => (amount / 10 ** exponent(currency)).toFixed(exponent(currency));

/** Throws the invalid_request_error Stripe answers for an amount it cannot charge in `currency`. */
export function checkChargeAmount(amount: number, currency: string): void {
  if ((currency === 'isk' || currency === 'ugx') && amount % 100 !== 0) {
    throw invalidRequest(
      `Invalid amount. Currency ${currency.toUpperCase()} has become effectively zero-decimal and charged amounts must be evenly divisible by 100. See https://stripe.com/docs/currencies#zero-decimal for more information.`,
      'amount',
      'invalid_charge_amount',
    );
  }
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw invalidRequest(
      `Invalid amount. Amounts in ${currency.toUpperCase()} must be evenly divisible by 10 (the last digit must be 0). See https://stripe.com/docs/currencies#three-decimal for more information.`,
      'amount',
      'invalid_charge_amount',
    );
  }
  const minimum = MINIMUM[currency];
  if (minimum !== undefined) {
    if (amount < minimum)
      throw invalidRequest(`Amount must be at least ${SYMBOL[currency] ?? ''}${major(minimum, currency)} ${currency}`, 'amount', 'amount_too_small');
    return;
  }
  const usd = USD_PER_UNIT[currency];
  if (usd !== undefined && (amount / 10 ** exponent(currency)) * usd < 0.5) {
    const approx = ((amount / 10 ** exponent(currency)) * usd).toFixed(2);
    throw invalidRequest(
      `Amount must convert to at least 50 cents. ${major(amount, currency)} ${currency.toUpperCase()} converts to approximately $${approx}.`,
      'amount',
      'amount_too_small',
    );
  }
}
