import { convert, money, type FxRate } from '../../../libs/money/index.js';
import type { StreamAppend } from '../../../libs/event-store/event-store.port.js';
import { chargeIncrement } from '../../../libs/stripe/amount-rules.js';
import { payablesStream } from './payables.js';
import { draftLines, type OpenLine, type RecordedDraft } from './invoice-run.js';
import { invoiceGeneratedAppend, invoiceNumber, invoiceRunEventId, type InvoiceGenerated, type InvoiceNumberAssigned } from './invoice.js';

/** `minimumPayout` in the company's `currency`; `clawback`: statements of negative balances instead of payouts. */
export type RunPeriod = { companyId: string; periodStart: string; periodEnd: string; cutoff: Date; currency: string; minimumPayout: number; clawback: boolean };
/** The payables stream's version and invoice count the run decides at (from the commissions read model). */
export type RunGuard = { version: number; invoices: number };

/** The read model's row per partner. `open`: its open commissions as "id amount currency" triples joined by spaces (ids never hold one). */
export type CandidateRow = { partner_id: string; partner_currency: string; version: number; invoices: number; invoiced: boolean; carry: string; open: string };
/** A partner with open commissions, in the order of their positions. `invoiced`: the period already has its live invoice. */
export type RunCandidate = { partnerId: string; currency: string; invoiced: boolean; carry: number; open: OpenLine[] };

export function parseCandidate(row: CandidateRow): RunCandidate {
  const parts = row.open.split(' ');
  const open: OpenLine[] = [];
  for (let i = 0; i < parts.length; i += 3) open.push({ commissionId: parts[i]!, amount: Number(parts[i + 1]), currency: parts[i + 2]! });
  return { partnerId: row.partner_id, currency: row.partner_currency, invoiced: row.invoiced, carry: Number(row.carry), open };
}

export const guardOf = (rows: readonly CandidateRow[]): RunGuard => ({ version: Number(rows[0]?.version ?? 0), invoices: Number(rows[0]?.invoices ?? 0) });

/** A rate the run looked up, or why there is none (the skip's detail). Keyed by `ratePair(from, to)`. */
export type RunRates = ReadonlyMap<string, FxRate | { missing: string }>;
export const ratePair = (from: string, to: string) => `${from}>${to}`;

/** The currency pairs the decision will convert with: every line currency and the minimum's into the partner's. */
export function ratePairs(period: RunPeriod, candidates: readonly RunCandidate[]): [from: string, to: string][] {
  const pairs = new Map<string, [string, string]>();
  for (const c of candidates) {
    if (c.invoiced && !period.clawback) continue;
    for (const l of c.open) if (l.currency !== c.currency) pairs.set(ratePair(l.currency, c.currency), [l.currency, c.currency]);
    if (!period.clawback && period.minimumPayout > 0 && period.currency !== c.currency)
      pairs.set(ratePair(period.currency, c.currency), [period.currency, c.currency]);
  }
  return [...pairs.values()];
}

/** What the store allows (`EventStore.capabilities`), and how many invoices at most go into one append. */
export type RunWritePlan = { atomicAppendMany: boolean; maxAppendBytes: number | null; chunkSize: number };

export type RunSkip = { partnerId: string; reason: string; detail: string | null };
export type PlannedInvoice = { invoiceId: string; partnerId: string; number: string; currency: string; total: number };
/**
 * Written with one `appendMany`, at the payables version the run read plus the invoices of the chunks before. Atomic
 * stores: the invoice streams, then the numbers (one transaction). Others: the numbers first, carrying each invoice (the
 * decision), then the invoice streams, derived: a crash after the first leaves them to `InvoiceCompletionReactor`.
 */
export type RunChunk = { invoices: PlannedInvoice[]; appends: StreamAppend[] };
export type InvoiceRunDecision = { skipped: RunSkip[]; chunks: RunChunk[] };

export interface InvoiceRunInput {
  period: RunPeriod;
  candidates: readonly RunCandidate[];
  rates: RunRates;
  guard: RunGuard;
  plan: RunWritePlan;
  /** A fresh invoice id per call (the ids are the caller's, as the clock is). */
  newInvoiceId: () => string;
}

/** The share of the store's append limit an append may fill: the rest is left for metadata and the measure's slack. */
const APPEND_BUDGET = 15 / 16;
/** EventStoreDB's measure of an event (data + metadata bytes + 2 per type character), metadata taken as the adapter writes it. */
const eventBytes = (type: string, data: object) => Buffer.byteLength(JSON.stringify(data)) + Buffer.byteLength('{"schemaVersion":1}') + type.length * 2;

type Draft = { invoiceId: string; partnerId: string; currency: string; draft: Extract<RecordedDraft, { lines: unknown }> };

/**
 * The invoice run of one company, decided from what the read model showed at `guard`: per partner an invoice of its open
 * commissions (or why not), numbered gap-free from the guard's count, and the appends that record it. Pure: rates are
 * looked up before, ids are given.
 *
 * Where an append is limited in size (EventStoreDB), an invoice is trimmed to the lines that fit (reversals first, then
 * the oldest commissions: a cut invoice never pays more than the whole would): the rest stay open for the partner's next
 * period, and a `too_many_lines` skip says so.
 */
export function decideInvoiceRun(input: InvoiceRunInput): InvoiceRunDecision {
  const { period, plan } = input;
  const budget = plan.maxAppendBytes === null ? null : Math.floor(plan.maxAppendBytes * APPEND_BUDGET);
  const skipped: RunSkip[] = [];
  const drafts: Draft[] = [];
  for (const c of input.candidates) {
    const outcome = draftFor(period, c, input.rates, budget);
    skipped.push(...outcome.skipped);
    if (outcome.draft) drafts.push({ invoiceId: input.newInvoiceId(), partnerId: c.partnerId, currency: c.currency, draft: outcome.draft });
  }
  const chunks: RunChunk[] = [];
  let version = input.guard.version;
  let sequence = input.guard.invoices;
  let chunk: { invoices: PlannedInvoice[]; generated: InvoiceGenerated['data'][]; numbers: InvoiceNumberAssigned[]; bytes: number } | null = null;
  const close = () => {
    if (!chunk) return;
    const payables = payablesStream(period.companyId);
    const numbers: StreamAppend = {
      streamId: payables,
      events: chunk.numbers.map((e) => ({ ...e, id: invoiceRunEventId(e.data.invoiceId, payables) })),
      expectedVersion: version,
    };
    const invoices: StreamAppend[] = chunk.generated.map(invoiceGeneratedAppend);
    chunks.push({ invoices: chunk.invoices, appends: plan.atomicAppendMany ? [...invoices, numbers] : [numbers, ...invoices] });
    version += chunk.numbers.length;
    chunk = null;
  };
  for (const d of drafts) {
    sequence += 1;
    const invoice = generatedData(period, d, sequence);
    const number: InvoiceNumberAssigned = {
      type: 'InvoiceNumberAssigned',
      data: {
        companyId: period.companyId,
        invoiceId: d.invoiceId,
        partnerId: d.partnerId,
        sequence,
        number: invoice.number,
        ...(!plan.atomicAppendMany && { invoice }),
      },
    };
    const bytes = budget === null ? 0 : eventBytes(number.type, number.data);
    if (chunk && (chunk.numbers.length >= plan.chunkSize || (budget !== null && chunk.bytes + bytes > budget))) close();
    chunk ??= { invoices: [], generated: [], numbers: [], bytes: 0 };
    chunk.invoices.push({ invoiceId: d.invoiceId, partnerId: d.partnerId, number: invoice.number, currency: d.currency, total: d.draft.total });
    chunk.generated.push(invoice);
    chunk.numbers.push(number);
    chunk.bytes += bytes;
  }
  close();
  return { skipped, chunks };
}

/** Lines in their recorded (compact) form, see `RecordedLine`: the API and the invoice document expand them. */
function generatedData(p: RunPeriod, d: Draft, sequence: number): InvoiceGenerated['data'] {
  return {
    invoiceId: d.invoiceId,
    companyId: p.companyId,
    partnerId: d.partnerId,
    number: invoiceNumber(sequence),
    sequence,
    currency: d.currency,
    total: d.draft.total,
    lines: d.draft.lines,
    ...(d.draft.fx && { fx: d.draft.fx }),
    ...(d.draft.carry && { carry: d.draft.carry }),
    ...(p.clawback && { kind: 'clawback' as const }),
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
  };
}

type Drafted = { draft?: Draft['draft']; skipped: RunSkip[] };

function draftFor(period: RunPeriod, c: RunCandidate, rates: RunRates, budget: number | null): Drafted {
  const skip = (reason: string, detail: string | null = null): Drafted => ({ skipped: [{ partnerId: c.partnerId, reason, detail }] });
  if (c.invoiced && !period.clawback) return skip('already_invoiced', `a live invoice exists for the period ending ${period.periodEnd}`);
  const lineRates = new Map<string, FxRate>();
  const rateOf = (from: string): FxRate | string => {
    const r = rates.get(ratePair(from, c.currency));
    if (!r) throw new Error(`no rate looked up for ${from}→${c.currency}`);
    return 'missing' in r ? r.missing : r;
  };
  for (const l of c.open) {
    if (l.currency === c.currency || lineRates.has(l.currency)) continue;
    const r = rateOf(l.currency);
    if (typeof r === 'string') return skip('fx_rate_missing', r);
    lineRates.set(l.currency, r);
  }
  let minimum = { amount: period.minimumPayout, shown: `${period.minimumPayout} ${period.currency}` };
  if (!period.clawback && period.minimumPayout > 0 && period.currency !== c.currency) {
    const r = rateOf(period.currency);
    if (typeof r === 'string') return skip('fx_rate_missing', r);
    const converted = convert(money(period.minimumPayout, period.currency), r);
    minimum = {
      amount: converted.to.amount,
      shown: `${period.minimumPayout} ${period.currency} = ${converted.to.amount} ${c.currency} at ${converted.rate} (${converted.source}, ${converted.asOf.slice(0, 10)})`,
    };
  }
  const opts = period.clawback ? { clawback: true } : { increment: chargeIncrement(c.currency), carry: c.carry };
  const draft = (open: readonly OpenLine[]): Drafted => {
    const d = draftLines(c.currency, open, lineRates, period.clawback ? 0 : minimum.amount, opts);
    if ('skip' in d) return skip(d.skip, `total ${d.total} ${c.currency}${d.skip === 'below_minimum' ? ` below the minimum payout ${minimum.shown}` : ''}`);
    return { draft: d, skipped: [] };
  };
  const whole = draft(c.open);
  if (budget === null || !whole.draft) return whole;
  const fitting = linesThatFit(period, c, whole.draft, budget);
  if (fitting.length === c.open.length) return whole;
  const left = c.open.length - fitting.length;
  const cut = draft(fitting);
  const note = `${left} of its ${c.open.length} commissions did not fit on one invoice (${fitting.length} lines fit in an append of the event store) and stay payable for its next period`;
  return {
    draft: cut.draft,
    skipped: [
      ...cut.skipped.map((s) => ({ ...s, detail: `${s.detail}; ${note}` })),
      ...(cut.draft ? [{ partnerId: c.partnerId, reason: 'too_many_lines', detail: note }] : []),
    ],
  };
}

/**
 * The open commissions whose lines fit the invoice's decision event into `budget` bytes: all of them when they do;
 * otherwise reversals (negative) first, then the oldest, so the cut invoice's total is at most the whole one's.
 */
function linesThatFit(period: RunPeriod, c: RunCandidate, whole: Draft['draft'], budget: number): OpenLine[] {
  const sample: InvoiceGenerated['data'] = generatedData(
    period,
    { invoiceId: 'inv_'.padEnd(36, '0'), partnerId: c.partnerId, currency: c.currency, draft: whole },
    999_999,
  );
  const number = {
    companyId: period.companyId,
    invoiceId: sample.invoiceId,
    partnerId: c.partnerId,
    sequence: 999_999,
    number: sample.number,
    invoice: sample,
  };
  if (eventBytes('InvoiceNumberAssigned', number) <= budget) return [...c.open];
  const lineBytes = whole.lines.map((l) => Buffer.byteLength(JSON.stringify(l)) + 1);
  let room = budget - eventBytes('InvoiceNumberAssigned', { ...number, invoice: { ...sample, lines: [] } });
  const order = c.open.map((_, i) => i).sort((a, b) => Number(c.open[b]!.amount < 0) - Number(c.open[a]!.amount < 0) || a - b);
  const taken: number[] = [];
  for (const i of order) {
    if (lineBytes[i]! > room) break;
    room -= lineBytes[i]!;
    taken.push(i);
  }
  return taken.map((i) => c.open[i]!);
}
