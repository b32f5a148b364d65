import { invalid } from '../../../../libs/http/domain-error.js';

import type { Interval } from '../../../../libs/database/period-sums.js';

export type { Interval };

const DAY_MS = 86_400_000;
/** A chart of more periods than this is unreadable, and the answer would grow without bound. */
export const MAX_PERIODS = 400;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function parseDay(field: string, value: string): number {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || isoDay(ms) !== value) throw invalid(field, `${field} is not a calendar date: ${value}`);
  return ms;
}

/** Start of the period containing `ms` (weeks start on Monday, as Postgres' date_trunc). */
export function periodStart(ms: number, interval: Interval): number {
  const d = new Date(ms);
  if (interval === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return interval === 'week' ? day - ((d.getUTCDay() + 6) % 7) * DAY_MS : day;
}

function nextPeriod(ms: number, interval: Interval): number {
  if (interval === 'day') return ms + DAY_MS;
  if (interval === 'week') return ms + 7 * DAY_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export interface Window {
  from: string;
  to: string;
  /** [from 00:00, the day after `to` 00:00) */
  start: Date;
  end: Date;
  periods: string[];
}

/** The days asked for (defaults: the 30 days up to today), checked, and every period start they touch. */
export function windowOf(q: { from?: string; to?: string; interval: Interval }, now: Date): Window {
  const to = q.to ?? isoDay(now.getTime());
  const toMs = parseDay('to', to);
  const from = q.from ?? isoDay(toMs - 29 * DAY_MS);
  const fromMs = parseDay('from', from);
  if (fromMs > toMs) throw invalid('from', 'from must be on or before to');
  const periods: string[] = [];
  for (let p = periodStart(fromMs, q.interval); p <= toMs; p = nextPeriod(p, q.interval)) {
    periods.push(isoDay(p));
    if (periods.length > MAX_PERIODS) throw invalid('from', `at most ${MAX_PERIODS} periods: choose a later from or a longer interval`);
  }
  return { from, to, start: new Date(fromMs), end: new Date(toMs + DAY_MS), periods };
}
