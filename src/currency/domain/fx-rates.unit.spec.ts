import { describe, it, expect } from '@jest/globals';
import { decidePublish, instant } from './fx-rates.js';
import { DomainError } from '../../../libs/http/domain-error.js';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).extra.errors as { field: string }[];
  }
  throw new Error('expected an error');
};

describe('publishing FX rates', () => {
  it('lower-cases codes, keeps rates as exact decimal strings and defaults the source to manual', () => {
    const event = decidePublish('fxr_1', { base: 'USD', asOf: '2025-03-14', rates: { EUR: 0.9234, jpy: 151.37, kwd: '0.3075' } });
    expect(event).toEqual({
      type: 'FxRatesPublished',
      data: { ratesId: 'fxr_1', base: 'usd', asOf: '2025-03-14T00:00:00.000Z', source: 'manual', rates: { eur: '0.9234', jpy: '151.37', kwd: '0.3075' } },
    });
  });

  it('keeps a given source and a timestamp asOf', () => {
    const event = decidePublish('fxr_2', { base: 'eur', asOf: '2025-03-14T12:30:00+01:00', source: ' ecb ', rates: { usd: 1.0845 } });
    expect(event.data).toMatchObject({ asOf: '2025-03-14T11:30:00.000Z', source: 'ecb' });
  });

  it.each([
    ['an unknown quote', { base: 'usd', asOf: '2025-03-14', rates: { zzz: 1 } }, 'rates.zzz'],
    ['a zero rate', { base: 'usd', asOf: '2025-03-14', rates: { eur: 0 } }, 'rates.eur'],
    ['a negative rate', { base: 'usd', asOf: '2025-03-14', rates: { eur: -1 } }, 'rates.eur'],
    ['a rate to itself', { base: 'usd', asOf: '2025-03-14', rates: { usd: 1 } }, 'rates.usd'],
    ['a non-numeric rate', { base: 'usd', asOf: '2025-03-14', rates: { eur: 'abc' } }, 'rates.eur'],
    ['an object rate', { base: 'usd', asOf: '2025-03-14', rates: { eur: { v: 1 } } }, 'rates.eur'],
    ['no rates', { base: 'usd', asOf: '2025-03-14', rates: {} }, 'rates'],
    ['an unknown base', { base: 'xxx', asOf: '2025-03-14', rates: { eur: 1 } }, 'base'],
    ['a bad date', { base: 'usd', asOf: 'yesterday', rates: { eur: 1 } }, 'asOf'],
    ['a source with a lone surrogate', { base: 'usd', asOf: '2025-03-14', rates: { eur: 1 }, source: 'ecb\ud800' }, 'source'],
  ])('rejects %s naming the field', (_label, input, field) => {
    expect(fieldOf(() => decidePublish('fxr_x', input))[0]!.field).toBe(field);
  });

  it('reads a date as 00:00 UTC', () => {
    expect(instant('2025-01-31')).toBe('2025-01-31T00:00:00.000Z');
    expect(() => instant('2025-13-01')).toThrow(DomainError);
  });
});
