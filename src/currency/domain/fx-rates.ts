import { fxRate, MoneyError, normalizeCurrency } from '../../../libs/money/index.js';
import { invalid } from '../../../libs/http/domain-error.js';
import { isWellFormed } from './text.js';

/** One stream per base currency and date: a second PUT for the same day supersedes the first (the later position wins). */
export const fxRatesStream = (base: string, asOf: string) => `fxrates-${base}-${asOf}`;

/** Operator-wide (no companyId): rates are market data shared by every tenant. `rates` hold canonical decimal strings. */
export type FxRatesPublished = {
  type: 'FxRatesPublished';
  data: { ratesId: string; base: string; asOf: string; source: string; rates: Record<string, string> };
};

export interface PublishRatesInput {
  base: string;
  asOf: string;
  source?: string;
  rates: Record<string, unknown>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates and normalizes a rates table: lower-case codes, exact decimal strings, asOf as an ISO instant. */
export function decidePublish(ratesId: string, input: PublishRatesInput): FxRatesPublished {
  const base = currencyField('base', input.base);
  const asOf = instant(input.asOf);
  const entries = Object.entries(input.rates ?? {});
  if (entries.length === 0) throw invalid('rates', 'rates must name at least one currency');
  const rates: Record<string, string> = {};
  for (const [code, value] of entries) {
    const quote = currencyField(`rates.${code}`, code);
    if (typeof value !== 'number' && typeof value !== 'string') throw invalid(`rates.${code}`, 'a rate must be a positive number');
    try {
      rates[quote] = fxRate({ id: ratesId, base, quote, rate: value, asOf, source: 'check' }).rate;
    } catch (e) {
      if (e instanceof MoneyError) throw invalid(`rates.${code}`, e.message);
      throw e;
    }
  }
  if (input.source !== undefined && !isWellFormed(input.source)) throw invalid('source', 'source must be valid Unicode text');
  return { type: 'FxRatesPublished', data: { ratesId, base, asOf, source: input.source?.trim() || 'manual', rates } };
}

function currencyField(field: string, code: string): string {
  try {
    return normalizeCurrency(code);
  } catch {
    throw invalid(field, `${code} is not an ISO 4217 currency code`);
  }
}

/** A date means its start (00:00 UTC); a timestamp keeps its instant. */
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function instant(value: string, field = 'asOf'): string {
  const ms =
    typeof value === 'string' && (DAY.test(value) || /^\d{4}-\d{2}-\d{2}T/.test(value)) ? Date.parse(DAY.test(value) ? `${value}T00:00:00Z` : value) : NaN;
  if (Number.isNaN(ms)) throw invalid(field, `${field} must be an ISO 8601 date or timestamp`);
  // year 0 and beyond 9999 parse, but no timestamp column holds them
  if (ms < EARLIEST_MS || ms > LATEST_MS) throw invalid(field, `${field} must be between 1900-01-01 and 9999-12-31`);
  return new Date(ms).toISOString();
}
