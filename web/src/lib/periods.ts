import { isoDay } from './dates';

/** The period pickers of the dashboard and the funnels: a range ending today, split into days, weeks or months. */
export const RANGES = {
  '30d': { label: 'Last 30 days', interval: 'day', days: 30 },
  '12w': { label: 'Last 12 weeks', interval: 'week', days: 84 },
  '12m': { label: 'Last 12 months', interval: 'month', days: 366 },
} as const;
export type RangeKey = keyof typeof RANGES;

export const isRangeKey = (v: string): v is RangeKey => Object.hasOwn(RANGES, v);

/** `from`/`to` (UTC days, inclusive) and the interval of a range ending today. */
export function rangeQuery(key: RangeKey, now = new Date()): { from: string; to: string; interval: 'day' | 'week' | 'month' } {
  const { days, interval } = RANGES[key];
  return { from: isoDay(new Date(now.getTime() - (days - 1) * 86_400_000)), to: isoDay(now), interval };
}
