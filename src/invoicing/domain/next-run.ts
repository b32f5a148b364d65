import type { InvoiceSchedule } from '../../companies/domain/company.js';
import { lastBoundary, periodStartFor } from './invoice-run.js';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The scheduled run after `now`: the hourly job runs a company on its invoice day from 00:00 UTC, for
 * the period that ended the day before. The run of today's invoice day has happened by then, so the
 * next is the following boundary.
 */
export function nextInvoiceRun(schedule: Pick<InvoiceSchedule, 'frequency' | 'day'>, now: Date): { at: string; periodStart: string; periodEnd: string } {
  const last = new Date(lastBoundary(schedule, now));
  const next = schedule.frequency === 'weekly' ? last.getTime() + 7 * DAY_MS : Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, schedule.day);
  const periodEnd = isoDay(next - DAY_MS);
  return { at: new Date(next).toISOString(), periodStart: periodStartFor(schedule, periodEnd), periodEnd };
}
