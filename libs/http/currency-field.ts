import { normalizeCurrency } from '../money/index.js';
import { invalid } from './domain-error.js';

/** A request's currency code, lower-cased, or a 422 naming the field. */
export function normalizeCurrencyField(code: string, field = 'currency'): string {
  try {
    return normalizeCurrency(code);
  } catch {
    throw invalid(field, `${code} is not an ISO 4217 currency code`);
  }
}
