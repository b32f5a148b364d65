import { DateTime } from 'luxon';
import { convert, money, type FxRate } from '../../../libs/money/index.js';
import type { InvoiceSchedule } from '../../shared-kernel/invoice-schedule.js';
import { expandLines, type InvoiceCarry, type InvoiceLine, type LineFxByCurrency, type RecordedLine } from './invoice.js';
import { floorToMultiple } from '../../../libs/money/index.js';

type Calendar = Pick<InvoiceSchedule, 'frequency' | 'day' | 'timeZone'>;

/** Dates are calendar days of the company's time zone (IANA, default UTC): its invoice day starts at its own midnight. */
const zoneOf = (schedule: Pick<InvoiceSchedule, 'timeZone'>) => schedule.timeZone ?? 'UTC';
const localDay = (iso: string, zone: string) => DateTime.fromISO(iso, { zone });
const isoDay = (d: DateTime) => d.toISODate()!;

export const todayIn = (now: Date, zone: string): string => isoDay(DateTime.fromJSDate(now, { zone }));

/** The invoice day of the month `d` is in: `day`, or the month's last day for "last". */
const invoiceDayOfMonth = (schedule: Calendar, d: DateTime) => d.set({ day: schedule.day === 'last' ? d.daysInMonth! : schedule.day });

/** The latest invoice day on or before `day` (a local date). */
function boundaryOnOrBefore(schedule: Calendar, day: DateTime): DateTime {
  if (schedule.frequency === 'weekly') return day.minus({ days: (day.weekday - Number(schedule.day) + 7) % 7 });
  const thisMonth = invoiceDayOfMonth(schedule, day.startOf('month'));
  return thisMonth <= day ? thisMonth : invoiceDayOfMonth(schedule, day.startOf('month').minus({ months: 1 }));
}

/** The latest invoice day on or before today, in the company's time zone. */
export function lastBoundary(schedule: Calendar, now: Date): string {
  return isoDay(boundaryOnOrBefore(schedule, localDay(todayIn(now, zoneOf(schedule)), 'UTC')));
}

/** A period ends the day before an invoice day and starts on the previous invoice day; both dates are inclusive. */
export function periodEndingBefore(schedule: Calendar, now: Date): string {
  return isoDay(localDay(lastBoundary(schedule, now), 'UTC').minus({ days: 1 }));
}

/** The period a (default or chosen) last day belongs to starts on the latest invoice day on or before it. */
export function periodStartFor(schedule: Calendar, periodEnd: string): string {
  return isoDay(boundaryOnOrBefore(schedule, localDay(periodEnd, 'UTC')));
}

export const isInvoiceDay = (schedule: Calendar, now: Date) => lastBoundary(schedule, now) === todayIn(now, zoneOf(schedule));

/** Commissions payable by the end of the period's last day (in the company's time zone), never later than now. */
export const cutoffFor = (periodEnd: string, now: Date, zone = 'UTC') => new Date(Math.min(localDay(periodEnd, zone).endOf('day').toMillis(), now.getTime()));

export interface OpenCommission {
  id: string;
  amount: number;
  currency: string;
}

/** An open commission in the form an invoice records it when it needs no conversion (see `RecordedLine`). */
export interface OpenLine {
  commissionId: string;
  amount: number;
  currency: string;
}

export type Skip = 'below_minimum' | 'not_positive' | 'not_negative';
export type Draft = { lines: InvoiceLine[]; total: number; carry?: InvoiceCarry } | { skip: Skip; total: number };
export type RecordedDraft = { lines: RecordedLine[]; fx?: LineFxByCurrency; total: number; carry?: InvoiceCarry } | { skip: Skip; total: number };

export interface DraftOptions {
  /** The charge increment of the invoice currency (Stripe's, see libs/stripe/amount-rules): the total is rounded down to it. */
  increment?: number;
  /** What earlier invoices' rounding left owed in the invoice currency (negative when an invoice voided after its carry was used). */
  carry?: number;
  /** A clawback statement: only a negative total (what the partner owes), never rounded, no minimum. */
  clawback?: boolean;
}

/**
 * One invoice of a partner's open commissions in the partner's currency: each line converted at the recorded rate of its
 * currency (half-even per line). The total is the sum of the converted lines plus the carry in, rounded down to the
 * currency's charge increment; the remainder is carried out to the next invoice. A total at or below zero, or below the
 * minimum payout (already in the invoice currency), is no invoice: the commissions roll over to the next period.
 * The lines come in their recorded (compact) form: a line in the invoice currency is the open line itself, a
 * converted one adds `convertedAmount`, and `fx` holds the rate of each converted currency.
 */
export function draftLines(
  currency: string,
  open: readonly OpenLine[],
  rates: ReadonlyMap<string, FxRate>,
  minimumPayout: number,
  opts: DraftOptions = {},
): RecordedDraft {
  let sum = 0;
  let fx: LineFxByCurrency | undefined;
  // a conversion depends only on amount, currency and rate: lines repeating an amount reuse it
  const converted = new Map<string, Map<number, number>>();
  const lines = open.map((c): RecordedLine => {
    if (c.currency === currency) {
      sum += c.amount;
      return c;
    }
    const rate = rates.get(c.currency);
    if (!rate) throw new Error(`no rate for ${c.currency}→${currency}`);
    let known = converted.get(c.currency);
    if (!known) {
      converted.set(c.currency, (known = new Map()));
      const sample = convert(money(0, c.currency), rate);
      (fx ??= {})[c.currency] = { rate: sample.rate, rateId: sample.rateId, asOf: sample.asOf, source: sample.source, inverted: sample.inverted };
    }
    let amount = known.get(c.amount);
    if (amount === undefined) {
      amount = convert(money(c.amount, c.currency), rate).to.amount;
      known.set(c.amount, amount);
    }
    sum += amount;
    return { commissionId: c.commissionId, amount: c.amount, currency: c.currency, convertedAmount: amount };
  });
  const carryIn = opts.carry ?? 0;
  const owed = sum + carryIn;
  if (opts.clawback) return owed < 0 ? withFx({ lines, total: owed, ...carried(carryIn, 0) }, fx) : { skip: 'not_negative', total: owed };
  if (owed <= 0) return { skip: 'not_positive', total: owed };
  const total = floorToMultiple(owed, opts.increment ?? 1);
  if (total <= 0) return { skip: 'not_positive', total: owed };
  if (total < minimumPayout) return { skip: 'below_minimum', total };
  return withFx({ lines, total, ...carried(carryIn, owed - total) }, fx);
}

const carried = (carryIn: number, carryOut: number) => (carryIn || carryOut ? { carry: { in: carryIn, out: carryOut } } : {});
const withFx = <T extends object>(d: T, fx: LineFxByCurrency | undefined) => (fx ? { ...d, fx } : d);

/** `draftLines` with every line in its full form. */
export function draftInvoice(
  currency: string,
  commissions: readonly OpenCommission[],
  rates: ReadonlyMap<string, FxRate>,
  minimumPayout: number,
  opts: DraftOptions = {},
): Draft {
  const d = draftLines(
    currency,
    commissions.map((c) => ({ commissionId: c.id, amount: c.amount, currency: c.currency })),
    rates,
    minimumPayout,
    opts,
  );
  return 'skip' in d ? d : { lines: expandLines(currency, d.lines, d.fx), total: d.total, ...(d.carry && { carry: d.carry }) };
}
