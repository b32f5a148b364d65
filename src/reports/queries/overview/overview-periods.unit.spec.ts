import { describe, it, expect } from '@jest/globals';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { MAX_PERIODS, windowOf } from './overview-periods.js';

describe('overview periods', () => {
  const now = new Date('2025-03-20T15:00:00Z');

  it('defaults to the 30 days up to today, every day listed', () => {
    const w = windowOf({ interval: 'day' }, now);
    expect([w.from, w.to]).toEqual(['2025-02-19', '2025-03-20']);
    expect(w.periods).toHaveLength(30);
    expect([w.start.toISOString(), w.end.toISOString()]).toEqual(['2025-02-19T00:00:00.000Z', '2025-03-21T00:00:00.000Z']);
  });

  it('weeks start on Monday, months on the 1st, the first period may start before `from`', () => {
    expect(windowOf({ from: '2025-03-01', to: '2025-03-17', interval: 'week' }, now).periods).toEqual(['2025-02-24', '2025-03-03', '2025-03-10', '2025-03-17']);
    expect(windowOf({ from: '2024-12-31', to: '2025-02-01', interval: 'month' }, now).periods).toEqual(['2024-12-01', '2025-01-01', '2025-02-01']);
  });

  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof DomainError ? (e.extra.errors as { field: string }[])[0]!.field : 'not a DomainError';
    }
    return 'no error';
  };

  it('names the field of a day that does not exist, an inverted window, too many periods', () => {
    expect(fieldOf(() => windowOf({ from: '2025-02-29', interval: 'day' }, now))).toBe('from');
    expect(fieldOf(() => windowOf({ to: '2025-13-01', interval: 'day' }, now))).toBe('to');
    expect(fieldOf(() => windowOf({ from: '2025-03-21', to: '2025-03-20', interval: 'day' }, now))).toBe('from');
    expect(fieldOf(() => windowOf({ from: '2020-01-01', to: '2025-01-01', interval: 'day' }, now))).toBe('from');
    expect(windowOf({ from: '2020-01-01', to: '2025-01-01', interval: 'week' }, now).periods.length).toBeLessThanOrEqual(MAX_PERIODS);
  });
});
