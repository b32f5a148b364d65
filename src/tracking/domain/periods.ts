/** Funnel periods: calendar days, ISO weeks (from Monday) and months, in UTC, clipped to the asked range. */
export type Interval = 'day' | 'week' | 'month';
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month'];
/** At most this many periods in one answer (a year of days). */
export const MAX_PERIODS = 366;
/** The leaderboard sums at most this many days. */
export const MAX_RANGE_DAYS = 3660;

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day `YYYY-MM-DD`, as UTC midnight; null otherwise (2026-02-30 is not one). */
export function parseDay(raw: string): Date | null {
  const m = ISO_DAY.exec(raw);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === raw ? d : null;
}

export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

function periodStart(d: Date, interval: Interval): Date {
  if (interval === 'day') return d;
  if (interval === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS);
}

function nextPeriod(start: Date, interval: Interval): Date {
  if (interval === 'day') return new Date(start.getTime() + DAY_MS);
  if (interval === 'week') return new Date(start.getTime() + 7 * DAY_MS);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The first day in [from, to] of each period (the range's first day for a period that starts before it). */
export function periodStarts(from: Date, to: Date, interval: Interval): string[] {
  const starts: string[] = [];
  for (let p = periodStart(from, interval); p <= to; p = nextPeriod(p, interval)) starts.push(dayOf(p < from ? from : p));
  return starts;
}

export const daysBetween = (from: Date, to: Date): number => Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
