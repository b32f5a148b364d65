import { isISO31661Alpha2 } from 'class-validator';
import { normalizeCurrency } from '../money/index.js';
import { parseDecimal } from '../money/decimal.js';
import { ConfigError } from './config-error.js';

type Env = Record<string, string | undefined>;

/**
 * Who bears Stripe's processing fee on Pay's destination charge. `platform`: the charge is the invoice total and the
 * fee comes out of the platform's balance. `company`: the charge is grossed up by `percent`% + the currency's fixed
 * fee, and `transfer_data[amount]` stays the invoice total, so the partner still gets exactly the invoice.
 */
export type StripeFeeSetting = { payer: 'platform' } | { payer: 'company'; percent: string; fixed: Readonly<Record<string, number>> };

/** STRIPE_FEE_PAYER (platform | company), STRIPE_FEE_PERCENT (e.g. 2.9) and STRIPE_FEE_FIXED (e.g. usd:30,eur:25). */
export function stripeFees(env: Env): StripeFeeSetting {
  const payer = env.STRIPE_FEE_PAYER || 'platform';
  if (payer !== 'platform' && payer !== 'company') throw new ConfigError('STRIPE_FEE_PAYER', `must be platform or company, got "${payer}"`);
  if (payer === 'platform') {
    for (const variable of ['STRIPE_FEE_PERCENT', 'STRIPE_FEE_FIXED'] as const) {
      if (env[variable]) throw new ConfigError(variable, 'is only used with STRIPE_FEE_PAYER=company (the platform bears the fee, so nothing is grossed up)');
    }
    return { payer };
  }
  const rawPercent = env.STRIPE_FEE_PERCENT ?? '';
  const percent = parseDecimal(rawPercent);
  if (!rawPercent || !percent || percent.units >= 100n * 10n ** BigInt(percent.scale)) {
    throw new ConfigError(
      'STRIPE_FEE_PERCENT',
      `must be a decimal percentage from 0 to below 100 with STRIPE_FEE_PAYER=company (e.g. 2.9), got "${rawPercent}"`,
    );
  }
  return { payer, percent: rawPercent, fixed: fixedFees(env.STRIPE_FEE_FIXED) };
}

function fixedFees(raw: string | undefined): Record<string, number> {
  const problem = (detail: string) =>
    new ConfigError('STRIPE_FEE_FIXED', `must list currency:minor-units pairs for every currency Pay charges, e.g. "usd:30,eur:25,jpy:0" (${detail})`);
  if (!raw) throw problem('it is required with STRIPE_FEE_PAYER=company');
  const fixed: Record<string, number> = {};
  for (const pair of raw.split(',').map((p) => p.trim())) {
    const [code = '', amount = '', extra] = pair.split(':').map((p) => p.trim());
    let currency: string;
    try {
      currency = normalizeCurrency(code);
    } catch {
      throw problem(`"${code}" is not an ISO 4217 currency`);
    }
    if (extra !== undefined || !/^\d{1,9}$/.test(amount)) throw problem(`"${pair}" is not currency:non-negative integer`);
    if (currency in fixed) throw problem(`${currency} appears twice`);
    fixed[currency] = Number(amount);
  }
  return fixed;
}

/** STRIPE_PLATFORM_COUNTRY: the platform account's ISO 3166-1 alpha-2 country; unset, it is read from Stripe (GET /v1/account). */
export function platformCountry(env: Env): string | undefined {
  const raw = env.STRIPE_PLATFORM_COUNTRY;
  if (!raw) return undefined;
  if (!isISO31661Alpha2(raw)) throw new ConfigError('STRIPE_PLATFORM_COUNTRY', `must be an ISO 3166-1 alpha-2 country code such as US or DE, got "${raw}"`);
  return raw.toUpperCase();
}
