/** The periods figures over time are summed by (UTC calendar days, ISO weeks, months). */
export type Interval = 'day' | 'week' | 'month';

/** An amount of one currency in the period starting on `period` (YYYY-MM-DD). */
export interface PeriodSum {
  period: string;
  currency: string;
  amount: number;
}

/** SQL: the start (YYYY-MM-DD) of the `interval` that the timestamp `column` falls in, in UTC. `interval` is one of `Interval`, never input. */
export const periodStartSql = (column: string, interval: Interval): string => `to_char(date_trunc('${interval}', ${column} at time zone 'UTC'), 'YYYY-MM-DD')`;
