import type { Event } from '../../../libs/event-store/event-store.port.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/** The company's scheduled invoice runs: which period the schedule last ran for. */
export const scheduledRunsStream = (companyId: string) => `invoiceschedule-${companyId}`;

export type ScheduledInvoiceRunCompleted = { type: 'ScheduledInvoiceRunCompleted'; data: { companyId: string; periodEnd: string; created: number } };

export interface ScheduledRuns {
  lastPeriodEnd: string | null;
}

export const initialScheduledRuns: ScheduledRuns = { lastPeriodEnd: null };

const isRunCompleted = isEventOf<ScheduledInvoiceRunCompleted>()('ScheduledInvoiceRunCompleted');

export function evolveScheduledRuns(state: ScheduledRuns, event: Event): ScheduledRuns {
  if (!isRunCompleted(event)) return state;
  return { lastPeriodEnd: event.data.periodEnd };
}

/**
 * The schedule runs once per period, on its invoice day or, when that day was missed (no leader all day), at the first
 * tick after: due whenever the latest period has not run yet. Periods missed before it need no run of their own, as
 * the latest takes every commission payable by its end.
 */
export const isDue = (state: ScheduledRuns, periodEnd: string) => state.lastPeriodEnd === null || state.lastPeriodEnd < periodEnd;
