import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { ORM, RUNNER } from '../../../core/tokens.js';
import { readSql } from '../../../../libs/database/sql.js';
import { invoiceRuns } from '../../../../libs/metrics/metrics.js';
import type { SubscriptionRunner } from '../../../../libs/event-store/subscription-runner.js';
import { WrongExpectedVersion, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import { invalid } from '../../../../libs/http/domain-error.js';
import { convert, money, type FxRate } from '../../../../libs/money/index.js';
import { chargeIncrement } from '../../../../libs/stripe/amount-rules.js';
import { CompaniesQuery } from '../../../companies/queries/companies/companies.query.js';
import { DEFAULT_SCHEDULE } from '../../../shared-kernel/invoice-schedule.js';
import { FxRatesQuery } from '../../../currency/queries/fx-rates/fx-rates.query.js';
import { FxRateMissing } from '../../../currency/domain/fx-rate-missing.error.js';
import { payablesStream } from '../../domain/payables.js';
import {
  invoiceNumber,
  invoiceStream,
  type InvoiceCarry,
  type InvoiceGenerated,
  type InvoiceNumberAssigned,
  type LineFxByCurrency,
  type RecordedLine,
} from '../../domain/invoice.js';
import { cutoffFor, draftLines, periodEndingBefore, periodStartFor, todayIn, type OpenLine } from '../../domain/invoice-run.js';
import { RunLock } from './run-lock.js';
import type { GenerateInvoicesResponse, GeneratedInvoice, SkippedPartner } from '../../invoice.response.js';

/** `open`: the partner's open commissions as "id amount currency" triples joined by spaces (ids never hold one); a text is parsed far faster than three arrays. */
type Candidate = { partner_id: string; partner_currency: string; version: number; invoices: number; invoiced: boolean; carry: string; open: string };
type Draft = { invoiceId: string; partnerId: string; currency: string; total: number; lines: RecordedLine[]; fx?: LineFxByCurrency; carry?: InvoiceCarry };
/** `minimumPayout` in the company's `currency`; `clawback`: statements of negative balances instead of payouts. */
type Period = { companyId: string; periodStart: string; periodEnd: string; cutoff: Date; currency: string; minimumPayout: number; clawback: boolean };
/** The payables stream's version and invoice count the drafts were decided at; advanced by each chunk appended. */
type Guard = { version: number; invoices: number };

export interface RunOptions {
  periodEnd?: string;
  now?: Date;
  /** false: give up when another process holds the company's run lock (the cron); default waits. */
  wait?: boolean;
  /** Invoices per atomic append; 1 on stores without multi-stream transactions. */
  chunkSize?: number;
  /** false skips the run lock, leaving correctness to the event-store guards alone (tests and the bench use it). */
  lock?: boolean;
  /** Only these partners (a regeneration after a void, a clawback). */
  partnerIds?: string[];
  /** A clawback statement: an invoice of a negative open balance, never rounded, no minimum, not the period's live invoice. */
  clawback?: boolean;
}

export type RunResult = GenerateInvoicesResponse & { checkpoint?: string };

/**
 * The invoice run of one company, set-based: one query reads every partner's open commissions, whether the period
 * already has a live invoice, and the company's payables version and invoice count, all from one snapshot. FX rates
 * are looked up once per currency pair. Invoices are appended in chunks, each one atomic append of the invoice
 * streams (no_stream) and then the payables stream with the version decided at (one `InvoiceNumberAssigned` per
 * invoice). If anything else changed the company's payables meanwhile, the rest of the run is decided again once
 * the read model caught up.
 */
@Injectable()
export class InvoiceRunService {
  constructor(
    private readonly es: EventSourcing,
    private readonly companies: CompaniesQuery,
    private readonly rates: FxRatesQuery,
    private readonly lock: RunLock,
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(RUNNER) private readonly runner: SubscriptionRunner,
  ) {}

  async generate(companyId: string, opts: RunOptions = {}): Promise<RunResult | undefined> {
    const now = opts.now ?? new Date();
    const company = await this.companies.get(companyId);
    // A schedule cleared to null falls back to the documented default rather than failing the run.
    const invoiceSchedule = company.invoiceSchedule ?? DEFAULT_SCHEDULE;
    const zone = invoiceSchedule.timeZone ?? 'UTC';
    const periodEnd = opts.periodEnd ?? (opts.clawback ? todayIn(now, zone) : periodEndingBefore(invoiceSchedule, now));
    const start = Date.parse(`${periodEnd}T00:00:00Z`);
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== periodEnd) throw invalid('periodEnd', `${periodEnd} is not a calendar date`);
    if (periodEnd > todayIn(now, zone)) throw invalid('periodEnd', 'periodEnd must not be in the future');
    const period: Period = {
      companyId,
      periodStart: periodStartFor(invoiceSchedule, periodEnd),
      periodEnd,
      cutoff: cutoffFor(periodEnd, now, zone),
      currency: company.currency,
      minimumPayout: invoiceSchedule.minimumPayout,
      clawback: opts.clawback === true,
    };
    const chunkSize = opts.chunkSize ?? (this.es.store.name === 'postgres' ? 200 : 1);
    const run = () => this.run(period, chunkSize, opts.partnerIds ?? null);
    try {
      const result = await (opts.lock === false ? run() : this.lock.with(`invoices:${companyId}`, opts.wait ?? true, run));
      invoiceRuns.inc({ result: result ? 'completed' : 'busy' });
      return result;
    } catch (e) {
      invoiceRuns.inc({ result: 'failed' });
      throw e;
    }
  }

  private async run(period: Period, chunkSize: number, partnerIds: string[] | null): Promise<RunResult> {
    await this.catchUp();
    const created: GeneratedInvoice[] = [];
    const skipped: SkippedPartner[] = [];
    let checkpoint: string | undefined;
    let only: string[] | null = partnerIds;
    const rates = new Map<string, Promise<FxRate>>();
    for (let pass = 0; pass < 3; pass++) {
      const candidates = await this.candidates(period, only);
      if (candidates.length === 0) break;
      const guard: Guard = { version: Number(candidates[0]!.version), invoices: Number(candidates[0]!.invoices) };
      const drafts: Draft[] = [];
      for (const c of candidates) {
        const outcome = await this.draft(period, c, rates);
        if ('reason' in outcome) skipped.push(outcome);
        else drafts.push(outcome);
      }
      let next = drafts.length;
      for (let i = 0; i < drafts.length; i += chunkSize) {
        const chunk = drafts.slice(i, i + chunkSize);
        const result = await this.appendChunk(period, guard, chunk);
        if (!result) {
          next = i;
          break;
        }
        created.push(...result.created);
        checkpoint = result.checkpoint;
      }
      const stale = drafts.slice(next).map((d) => d.partnerId);
      if (stale.length === 0) break;
      if (pass === 2)
        skipped.push(
          ...stale.map((partnerId) => ({
            partnerId,
            reason: 'concurrent_change',
            detail: 'the company’s payables kept changing during the run; the next run takes them',
          })),
        );
      only = stale;
      await this.catchUp();
    }
    return { periodStart: period.periodStart, periodEnd: period.periodEnd, cutoff: period.cutoff.toISOString(), created, skipped, checkpoint };
  }

  /** One statement, so commissions, guard versions and live invoices come from the same committed state. */
  private candidates(period: Period, partnerIds: string[] | null): Promise<Candidate[]> {
    return readSql(this.orm).query<Candidate>(
      `with guard as (select coalesce(max(version), 0) as version, coalesce(max(invoices), 0) as invoices from payables_guards where company_id = $1)
       select o.partner_id, p.currency as partner_currency, guard.version, guard.invoices,
              exists (select 1 from invoice_periods ip where ip.company_id = $1 and ip.partner_id = o.partner_id and ip.period_end = $3 and ip.live) as invoiced,
              (select coalesce(sum(ip.carry_out - ip.carry_in), 0) from invoice_periods ip
               where ip.company_id = $1 and ip.partner_id = o.partner_id and ip.carry_currency = p.currency and not ip.voided)::text as carry,
              string_agg(o.id || ' ' || o.amount || ' ' || o.currency, ' ' order by o.position) as open
       from commissions o
       join partners p on p.company_id = o.company_id and p.id = o.partner_id
       cross join guard
       where o.company_id = $1 and o.invoice_id is null and o.status in ('pending', 'payable') and o.payable_at <= $2 and o.amount <> 0 and o.reducing is null
         and ($4::text[] is null or o.partner_id = any($4))
       group by o.partner_id, p.currency, guard.version, guard.invoices
       order by o.partner_id`,
      [period.companyId, period.cutoff, period.periodEnd, partnerIds],
    );
  }

  /** `cache` holds this run's rate lookups, one per currency pair. */
  private async draft(period: Period, c: Candidate, cache: Map<string, Promise<FxRate>>): Promise<Draft | SkippedPartner> {
    const skip = (reason: string, detail: string | null = null): SkippedPartner => ({ partnerId: c.partner_id, reason, detail });
    if (c.invoiced && !period.clawback) return skip('already_invoiced', `a live invoice exists for the period ending ${period.periodEnd}`);
    const parts = c.open.split(' ');
    const commissions: OpenLine[] = [];
    const currencies = new Set<string>();
    for (let i = 0; i < parts.length; i += 3) {
      commissions.push({ commissionId: parts[i]!, amount: Number(parts[i + 1]), currency: parts[i + 2]! });
      currencies.add(parts[i + 2]!);
    }
    const rate = (from: string) => {
      const key = `${from}>${c.partner_currency}`;
      if (!cache.has(key)) cache.set(key, this.rates.lookup(from, c.partner_currency, period.cutoff.toISOString()));
      return cache.get(key)!;
    };
    const rates = new Map<string, FxRate>();
    let minimum = { amount: period.minimumPayout, shown: `${period.minimumPayout} ${period.currency}` };
    try {
      for (const currency of currencies) if (currency !== c.partner_currency) rates.set(currency, await rate(currency));
      if (!period.clawback && period.minimumPayout > 0 && period.currency !== c.partner_currency) {
        const converted = convert(money(period.minimumPayout, period.currency), await rate(period.currency));
        minimum = {
          amount: converted.to.amount,
          shown: `${period.minimumPayout} ${period.currency} = ${converted.to.amount} ${c.partner_currency} at ${converted.rate} (${converted.source}, ${converted.asOf.slice(0, 10)})`,
        };
      }
    } catch (e) {
      if (e instanceof FxRateMissing) return skip('fx_rate_missing', e.message);
      throw e;
    }
    const opts = period.clawback ? { clawback: true } : { increment: chargeIncrement(c.partner_currency), carry: Number(c.carry) };
    const d = draftLines(c.partner_currency, commissions, rates, period.clawback ? 0 : minimum.amount, opts);
    if ('skip' in d)
      return skip(d.skip, `total ${d.total} ${c.partner_currency}${d.skip === 'below_minimum' ? ` below the minimum payout ${minimum.shown}` : ''}`);
    return {
      invoiceId: `inv_${randomUUID().replaceAll('-', '')}`,
      partnerId: c.partner_id,
      currency: c.partner_currency,
      total: d.total,
      lines: d.lines,
      fx: d.fx,
      carry: d.carry,
    };
  }

  /** Appends a chunk atomically; undefined when the payables stream moved since the drafts were decided. */
  private async appendChunk(period: Period, guard: Guard, drafts: Draft[]): Promise<{ created: GeneratedInvoice[]; checkpoint: string } | undefined> {
    const numbered = drafts.map((d, i) => ({ ...d, sequence: guard.invoices + i + 1, number: invoiceNumber(guard.invoices + i + 1) }));
    const invoices: StreamAppend[] = numbered.map((d) => ({
      streamId: invoiceStream(period.companyId, d.invoiceId),
      events: [generated(period, d)],
      expectedVersion: 'no_stream',
    }));
    const numbers: StreamAppend = {
      streamId: payablesStream(period.companyId),
      events: numbered.map((d) => assigned(period.companyId, d)),
      expectedVersion: guard.version,
    };
    try {
      // Postgres commits it all at once; a store without transactions writes the guard first (architecture.md).
      const results = await this.es.appendMany(this.es.store.name === 'postgres' ? [...invoices, numbers] : [numbers, ...invoices]);
      guard.version += drafts.length;
      guard.invoices += drafts.length;
      return {
        created: numbered.map((d) => ({ invoiceId: d.invoiceId, partnerId: d.partnerId, number: d.number, currency: d.currency, total: d.total })),
        checkpoint: results[results.length - 1]!.checkpoint,
      };
    } catch (e) {
      if (e instanceof WrongExpectedVersion && e.streamId === numbers.streamId) return undefined;
      throw e;
    }
  }

  private async catchUp(): Promise<void> {
    await this.runner.waitFor((await this.es.store.head()).checkpoint, 30_000, ['commissions', 'invoices']);
  }
}

function assigned(companyId: string, d: Draft & { sequence: number; number: string }): InvoiceNumberAssigned {
  return { type: 'InvoiceNumberAssigned', data: { companyId, invoiceId: d.invoiceId, partnerId: d.partnerId, sequence: d.sequence, number: d.number } };
}

/** Lines in their recorded (compact) form, see `RecordedLine`: the API and the invoice document expand them. */
function generated(p: Period, d: Draft & { sequence: number; number: string }): InvoiceGenerated {
  return {
    type: 'InvoiceGenerated',
    data: {
      invoiceId: d.invoiceId,
      companyId: p.companyId,
      partnerId: d.partnerId,
      number: d.number,
      sequence: d.sequence,
      currency: d.currency,
      total: d.total,
      lines: d.lines,
      ...(d.fx && { fx: d.fx }),
      ...(d.carry && { carry: d.carry }),
      ...(p.clawback && { kind: 'clawback' as const }),
      periodStart: p.periodStart,
      periodEnd: p.periodEnd,
    },
  };
}
