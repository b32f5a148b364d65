import { invalidRequest, missingParam, unknownParam } from './errors.js';
import type { Params } from './types.js';

export function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) if (key !== 'expand' && !allowed.includes(key)) throw unknownParam(key);
}

export function requireString(params: Params, name: string): string {
  const value = optString(params, name);
  if (value === undefined || value === '') throw missingParam(name);
  return value;
}

export function optString(params: Params, name: string, param = name): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, param);
  return value;
}

export function optInt(params: Params, name: string, param = name): number | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw invalidRequest(`Invalid integer: ${String(value)}`, param, 'parameter_invalid_integer');
  }
  return Number(value);
}

export function optBool(params: Params, name: string, param = name): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${String(value)}`, param);
}

export function optHash(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`Invalid hash`, name);
  return value as Params;
}

export function optEnum<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = optString(params, name);
  if (value === undefined || value === '') return undefined;
  if (!values.includes(value as T)) {
    throw invalidRequest(`Invalid ${name}: must be one of ${values.join(', ')}`, name, 'parameter_invalid_string');
  }
  return value as T;
}

export function optStringArray(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidRequest(`Invalid array`, name);
  return value as string[];
}

/** Stripe metadata: string values, empty string unsets a key, at most 50 keys of 40 chars / values of 500. */
export function mergeMetadata(current: Record<string, string>, params: Params): Record<string, string> {
  if (params.metadata === '') return {};
  const patch = optHash(params, 'metadata');
  if (!patch) return current;
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (typeof value !== 'string') throw invalidRequest(`Invalid metadata value for key ${key}`, `metadata[${key}]`);
    if (key.length > 40) throw invalidRequest('Metadata keys can have a maximum length of 40 characters.', `metadata[${key}]`);
    if (value.length > 500) throw invalidRequest('Metadata values can have a maximum length of 500 characters.', `metadata[${key}]`);
    if (value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) throw invalidRequest('Metadata can have a maximum of 50 keys.', 'metadata');
  return next;
}

/** Presentment currencies the emulated platform takes; the three-decimal ones as for an account in the UAE. */
const CURRENCIES = new Set(
  'usd eur gbp cad aud nzd jpy chf sek nok dkk pln czk huf ron bgn inr sgd hkd mxn brl thb myr php idr ils aed zar krw twd try isk ugx bhd jod kwd omr tnd'.split(
    ' ',
  ),
);

export function requireCurrency(params: Params): string {
  const currency = requireString(params, 'currency').toLowerCase();
  if (!CURRENCIES.has(currency)) {
    throw invalidRequest(`Invalid currency: ${currency}. Stripe currently supports these currencies: ${[...CURRENCIES].join(', ')}`, 'currency');
  }
  return currency;
}
