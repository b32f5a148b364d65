import { InvalidCurrency } from './errors.js';

// Circulating ISO 4217 currencies only: fund, precious-metal and test codes (bov, clf, xau, xxx, ...)
// have no Stripe minor-unit rule, so accepting them would invent an exponent.
// ang and sll are withdrawn but still appear on older Stripe objects.
const ISO_4217_CODES = new Set([
  'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn',
  'bam', 'bbd', 'bdt', 'bgn', 'bhd', 'bif', 'bmd', 'bnd', 'bob', 'brl',
  'bsd', 'btn', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp', 'cny',
  'cop', 'crc', 'cup', 'cve', 'czk', 'djf', 'dkk', 'dop', 'dzd', 'egp',
  'ern', 'etb', 'eur', 'fjd', 'fkp', 'gbp', 'gel', 'ghs', 'gip', 'gmd',
  'gnf', 'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf', 'idr', 'ils', 'inr',
  'iqd', 'irr', 'isk', 'jmd', 'jod', 'jpy', 'kes', 'kgs', 'khr', 'kmf',
  'kpw', 'krw', 'kwd', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl',
  'lyd', 'mad', 'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mru', 'mur',
  'mvr', 'mwk', 'mxn', 'myr', 'mzn', 'nad', 'ngn', 'nio', 'nok', 'npr',
  'nzd', 'omr', 'pab', 'pen', 'pgk', 'php', 'pkr', 'pln', 'pyg', 'qar',
  'ron', 'rsd', 'rub', 'rwf', 'sar', 'sbd', 'scr', 'sdg', 'sek', 'sgd',
  'shp', 'sle', 'sll', 'sos', 'srd', 'ssp', 'stn', 'svc', 'syp', 'szl',
  'thb', 'tjs', 'tmt', 'tnd', 'top', 'try', 'ttd', 'twd', 'tzs', 'uah',
  'ugx', 'usd', 'uyu', 'uzs', 'ved', 'ves', 'vnd', 'vuv', 'wst', 'xaf',
  'xcd', 'xcg', 'xof', 'xpf', 'yer', 'zar', 'zmw', 'zwg',
]);

// Stripe's minor-unit rules, not ISO's: isk and ugx are whole units that Stripe still counts in hundredths ("to charge
// 5 UGX, provide an amount value of 500"), so both have exponent 2 here although ISO gives them 0.
const ZERO_DECIMAL = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga',
  'pyg', 'rwf', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** True for a known ISO 4217 code in any letter case. */
export function isValidCurrency(code: string): boolean {
  return typeof code === 'string' && ISO_4217_CODES.has(code.toLowerCase());
}

/** Lower-cased code, or throws InvalidCurrency. */
export function normalizeCurrency(code: string): string {
  if (!isValidCurrency(code)) throw new InvalidCurrency(`unknown currency: ${String(code)}`);
  return code.toLowerCase();
}

/** Number of decimal places of the currency's minor unit (0, 2 or 3). */
export function minorUnitExponent(currency: string): number {
  const code = normalizeCurrency(currency);
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}
