import { describe, it, expect } from '@jest/globals';
import { MAX_RETRY_DELAY_MS, nextAttemptAt, RETRY_WINDOW_MS } from './retry-schedule.js';

const first = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(first.getTime() + ms);

describe('retry schedule', () => {
  it('doubles from the base, with jitter between half and the whole delay', () => {
    const base = 60_000;
    expect(nextAttemptAt(first, first, 1, base, () => 0)).toEqual(at(30_000));
    expect(nextAttemptAt(first, first, 1, base, () => 1)).toEqual(at(60_000));
    expect(nextAttemptAt(first, first, 3, base, () => 1)).toEqual(at(240_000));
    const spread = new Set(Array.from({ length: 20 }, () => nextAttemptAt(first, first, 4, base)!.getTime()));
    expect(spread.size).toBeGreaterThan(10);
  });

  it('never waits longer than the cap, and ends after 3 days of trying', () => {
    expect(nextAttemptAt(first, first, 40, 60_000, () => 1)).toEqual(at(MAX_RETRY_DELAY_MS));
    expect(nextAttemptAt(first, at(RETRY_WINDOW_MS - MAX_RETRY_DELAY_MS), 20, 60_000, () => 1)).toEqual(at(RETRY_WINDOW_MS));
    expect(nextAttemptAt(first, at(RETRY_WINDOW_MS - 1000), 20, 60_000, () => 1)).toBeUndefined();
  });

  it('gives a dozen or more attempts over the window with the default base', () => {
    let now = first;
    let attempts = 0;
    for (let next = nextAttemptAt(first, now, 1, 60_000, () => 0.5); next; next = nextAttemptAt(first, now, ++attempts + 1, 60_000, () => 0.5)) now = next;
    expect(attempts).toBeGreaterThanOrEqual(12);
    expect(now.getTime() - first.getTime()).toBeGreaterThan(RETRY_WINDOW_MS - MAX_RETRY_DELAY_MS);
  });
});
