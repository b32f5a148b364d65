/** A company's invoice schedule: companies keeps it, invoicing runs by it, payouts shows when it next runs. */
export interface InvoiceSchedule {
  frequency: 'weekly' | 'monthly';
  /** weekly: ISO weekday 1 (Monday) … 7; monthly: day of month 1 … 28, or 'last' (the month's last day). */
  day: number | 'last';
  holdDays: number;
  /** Minor units of the company's currency, converted at the run's rate for partners paid in another; below it no invoice is made. */
  minimumPayout: number;
  /** IANA time zone the invoice days and periods are calendar days of; absent: UTC. */
  timeZone?: string;
}

export const DEFAULT_SCHEDULE: InvoiceSchedule = { frequency: 'monthly', day: 1, holdDays: 30, minimumPayout: 0 };
