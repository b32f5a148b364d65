import { minorUnitExponent, normalizeCurrency } from './currency.js';
import { formatDecimal, parseDecimal, type Decimal } from './decimal.js';
import { CurrencyMismatch, InvalidRate } from './errors.js';
import { money, moneyFromBigInt, type Money } from './money.js';
import { divideRounded } from './rounding.js';

/** 1 unit of `base` = `rate` units of `quote` (major units), as a canonical decimal string. */
export type FxRate = { id: string; base: string; quote: string; rate: string; asOf: string; source: string };

/**
 * A recorded conversion. `rate` is always the FxRate's base→quote rate; `inverted` is true when
 * `from` was in the quote currency and the amount was divided by the rate instead.
 */
export type Conversion = {
  from: Money;
  to: Money;
  rate: string;
  rateId: string;
  asOf: string;
  source: string;
  inverted: boolean;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

function parseRate(rate: number | string): Decimal {
  const parsed = parseDecimal(rate);
  if (!parsed || parsed.units === 0n) {
    throw new InvalidRate(`rate must be a positive finite decimal, got ${String(rate)}`);
  }
  return parsed;
}

/** Validated FxRate: currencies lower-cased, rate in canonical decimal form, asOf an ISO date. */
export function fxRate(input: Omit<FxRate, 'rate'> & { rate: number | string }): FxRate {
  const base = normalizeCurrency(input.base);
  const quote = normalizeCurrency(input.quote);
  if (base === quote) throw new InvalidRate(`rate ${input.id} converts ${base} to itself`);
  if (!ISO_DATE.test(input.asOf) || Number.isNaN(Date.parse(input.asOf))) {
    throw new InvalidRate(`asOf must be an ISO date, got ${String(input.asOf)}`);
  }
  const rate = formatDecimal(parseRate(input.rate));
  return { id: input.id, base, quote, rate, asOf: input.asOf, source: input.source };
}

// to = from / 10^eFrom × rate^(±1) × 10^eTo, all as one exact fraction rounded once.
function convertAmount(from: Money, toCurrency: string, rate: string, inverted: boolean): Money {
  const { units, scale } = parseRate(rate);
  const fromScale = 10n ** BigInt(minorUnitExponent(from.currency));
  const toScale = 10n ** BigInt(minorUnitExponent(toCurrency));
  const rateScale = 10n ** BigInt(scale);
  const amount = BigInt(from.amount);
  const converted = inverted ? divideRounded(amount * rateScale * toScale, units * fromScale) : divideRounded(amount * units * toScale, rateScale * fromScale);
  return moneyFromBigInt(converted, toCurrency);
}

/** Converts m with fx, in either direction (m in fx.base, or in fx.quote with the inverse rate). */
export function convert(m: Money, fx: FxRate): Conversion {
  const from = money(m.amount, m.currency);
  const { id, base, quote, rate, asOf, source } = fxRate(fx);
  if (from.currency !== base && from.currency !== quote) {
    throw new CurrencyMismatch(`${base} or ${quote}`, from.currency);
  }
  const inverted = from.currency === quote;
  const to = convertAmount(from, inverted ? base : quote, rate, inverted);
  return { from, to, rate, rateId: id, asOf, source, inverted };
}

/** The same conversion with `to` recomputed from `from` and the recorded rate. */
export function rederive(conversion: Conversion): Conversion {
  const from = money(conversion.from.amount, conversion.from.currency);
  const toCurrency = normalizeCurrency(conversion.to.currency);
  const to = convertAmount(from, toCurrency, conversion.rate, conversion.inverted);
  return { ...conversion, from, to };
}
