import { convert, money, type FxRate } from '../../../libs/money/index.js';
import type { InvoiceSchedule } from '../../companies/domain/company.js';
import { expandLines, type InvoiceLine, type LineFxByCurrency, type RecordedLine } from './invoice.js';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The latest schedule boundary (00:00 UTC of the invoice day) at or before `now`. */
export function lastBoundary(schedule: Pick<InvoiceSchedule, 'frequency' | 'day'>, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (schedule.frequency === 'weekly') {
    const isoWeekday = ((now.getUTCDay() + 6) % 7) + 1;
    return today - ((isoWeekday - schedule.day + 7) % 7) * DAY_MS;
  }
  const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), schedule.day);
  return thisMonth <= today ? thisMonth : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, schedule.day);
}

/** A period ends the day before an invoice day and starts on the previous invoice day; both dates are inclusive. */
export function periodEndingBefore(schedule: Pick<InvoiceSchedule, 'frequency' | 'day'>, now: Date): string {
  return isoDay(lastBoundary(schedule, now) - DAY_MS);
}

export function periodStartFor(schedule: Pick<InvoiceSchedule, 'frequency'>, periodEnd: string): string {
  const next = new Date(dayStart(periodEnd) + DAY_MS);
  const start = schedule.frequency === 'weekly' ? next.getTime() - 7 * DAY_MS : Date.UTC(next.getUTCFullYear(), next.getUTCMonth() - 1, next.getUTCDate());
  return isoDay(start);
}

export const isInvoiceDay = (schedule: Pick<InvoiceSchedule, 'frequency' | 'day'>, now: Date) => lastBoundary(schedule, now) === Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

/** Commissions payable by the end of the period's last day, never later than now. */
export const cutoffFor = (periodEnd: string, now: Date) => new Date(Math.min(dayStart(periodEnd) + DAY_MS - 1, now.getTime()));

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

export type Draft = { lines: InvoiceLine[]; total: number } | { skip: 'below_minimum' | 'not_positive'; total: number };
export type RecordedDraft = { lines: RecordedLine[]; fx?: LineFxByCurrency; total: number } | { skip: 'below_minimum' | 'not_positive'; total: number };

/**
 * One invoice of a partner's open commissions in the partner's currency: each line converted at the recorded
 * rate of its currency (half-even per line); the total is the sum of the converted lines. A total at or below
 * zero, or below the minimum payout, is no invoice: the commissions roll over to the next period.
 * The lines come in their recorded (compact) form: a line in the invoice currency is the open line itself, a
 * converted one adds `convertedAmount`, and `fx` holds the rate of each converted currency.
 */
export function draftLines(currency: string, open: readonly OpenLine[], rates: ReadonlyMap<string, FxRate>, minimumPayout: number): RecordedDraft {
  let total = 0;
  let fx: LineFxByCurrency | undefined;
  // a conversion depends only on amount, currency and rate: lines repeating an amount reuse it
  const converted = new Map<string, Map<number, number>>();
  const lines = open.map((c): RecordedLine => {
    if (c.currency === currency) {
      total += c.amount;
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
    total += amount;
    return { commissionId: c.commissionId, amount: c.amount, currency: c.currency, convertedAmount: amount };
  });
  if (total <= 0) return { skip: 'not_positive', total };
  if (total < minimumPayout) return { skip: 'below_minimum', total };
  return fx ? { lines, fx, total } : { lines, total };
}

/** `draftLines` with every line in its full form. */
export function draftInvoice(currency: string, commissions: readonly OpenCommission[], rates: ReadonlyMap<string, FxRate>, minimumPayout: number): Draft {
  const d = draftLines(currency, commissions.map((c) => ({ commissionId: c.id, amount: c.amount, currency: c.currency })), rates, minimumPayout);
  return 'skip' in d ? d : { lines: expandLines(currency, d.lines, d.fx), total: d.total };
}
