import { DateTime } from 'luxon';
import type { InvoiceSchedule } from '../../shared-kernel/invoice-schedule.js';
import { lastBoundary, periodStartFor } from './invoice-run.js';

type Calendar = Pick<InvoiceSchedule, 'frequency' | 'day' | 'timeZone'>;

/**
 * The scheduled run after `now`: the hourly job runs a company from the start (its own midnight) of its invoice
 * day, for the period that ended the day before. Today's run, on an invoice day, has happened by then, so the
 * next is the following invoice day.
 */
export function nextInvoiceRun(schedule: Calendar, now: Date): { at: string; periodStart: string; periodEnd: string } {
  const last = DateTime.fromISO(lastBoundary(schedule, now), { zone: 'UTC' });
  const month = last.startOf('month').plus({ months: 1 });
  const next = schedule.frequency === 'weekly' ? last.plus({ days: 7 }) : month.set({ day: schedule.day === 'last' ? month.daysInMonth! : schedule.day });
  const periodEnd = next.minus({ days: 1 }).toISODate()!;
  return {
    at: DateTime.fromISO(next.toISODate()!, { zone: schedule.timeZone ?? 'UTC' })
      .toUTC()
      .toISO()!,
    periodStart: periodStartFor(schedule, periodEnd),
    periodEnd,
  };
}
