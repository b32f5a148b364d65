import { describe, it, expect } from '@jest/globals';
import { parseDay, periodStarts } from './periods.js';

const d = (s: string) => parseDay(s)!;

describe('funnel periods (UTC)', () => {
  it('accepts only real calendar days', () => {
    expect(parseDay('2026-02-28')?.toISOString()).toBe('2026-02-28T00:00:00.000Z');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00:00Z', '']) expect(parseDay(bad)).toBeNull();
  });

  it('cuts days, ISO weeks from Monday and calendar months, the first clipped to the range', () => {
    expect(periodStarts(d('2026-01-30'), d('2026-02-02'), 'day')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    // 2026-01-07 is a Wednesday.
    expect(periodStarts(d('2026-01-07'), d('2026-01-20'), 'week')).toEqual(['2026-01-07', '2026-01-12', '2026-01-19']);
    expect(periodStarts(d('2026-01-15'), d('2026-03-01'), 'month')).toEqual(['2026-01-15', '2026-02-01', '2026-03-01']);
  });
});
