import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';

/** The company's scheduled invoice runs: which period the schedule last ran for. */
export const scheduledRunsStream = (companyId: string) => `invoiceschedule-${companyId}`;

export type ScheduledInvoiceRunCompleted = { type: 'ScheduledInvoiceRunCompleted'; data: { companyId: string; periodEnd: string; created: number } };

export interface ScheduledRuns {
  lastPeriodEnd: string | null;
}

export const initialScheduledRuns: ScheduledRuns = { lastPeriodEnd: null };

export function evolveScheduledRuns(state: ScheduledRuns, event: RecordedEvent): ScheduledRuns {
  if (event.type !== 'ScheduledInvoiceRunCompleted') return state;
  return { lastPeriodEnd: (event as unknown as ScheduledInvoiceRunCompleted).data.periodEnd };
}

/**
 * The schedule runs once per period, on its invoice day or, when that day was missed (no leader all day), at the first
 * tick after: due whenever the latest period has not run yet. Periods missed before it need no run of their own, as
 * the latest takes every commission payable by its end.
 */
export const isDue = (state: ScheduledRuns, periodEnd: string) => state.lastPeriodEnd === null || state.lastPeriodEnd < periodEnd;
