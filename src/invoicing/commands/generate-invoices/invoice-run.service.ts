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
import type { FxRate } from '../../../../libs/money/index.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { DEFAULT_SCHEDULE } from '../../../shared-kernel/invoice-schedule.js';
import { FxRateMissing, FxRatesQuery } from '../../../currency/index.js';
import { cutoffFor, periodEndingBefore, periodStartFor, todayIn } from '../../domain/invoice-run.js';
import {
  decideInvoiceRun,
  guardOf,
  parseCandidate,
  ratePair,
  ratePairs,
  type CandidateRow,
  type RunCandidate,
  type RunPeriod,
  type RunRates,
} from '../../domain/invoice-run-decision.js';
import { RunLock } from './run-lock.js';
import type { GenerateInvoicesResponse, GeneratedInvoice, SkippedPartner } from '../../invoice.response.js';

/** Invoices per append where the store's appends have no size limit (Postgres: one transaction per chunk). */
const CHUNK_SIZE = 200;

export interface RunOptions {
  periodEnd?: string;
  now?: Date;
  /** false: give up when another process holds the company's run lock (the cron); default waits. */
  wait?: boolean;
  /** Invoices per chunk (default 200); where appends are limited in size, a chunk also stops where its numbers would not fit. */
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
 * are looked up once per currency pair; `decideInvoiceRun` decides the invoices and their appends, written here chunk
 * by chunk (the payables stream at the version decided at guards each). If anything else changed the company's
 * payables meanwhile, the rest of the run is decided again once the read model caught up.
 */
@Injectable()
export class InvoiceRunService {
  constructor(
    private readonly es: EventSourcing,
    private readonly companies: CompaniesQuery,
    private readonly fx: FxRatesQuery,
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
    const period: RunPeriod = {
      companyId,
      periodStart: periodStartFor(invoiceSchedule, periodEnd),
      periodEnd,
      cutoff: cutoffFor(periodEnd, now, zone),
      currency: company.currency,
      minimumPayout: invoiceSchedule.minimumPayout,
      clawback: opts.clawback === true,
    };
    const chunkSize = opts.chunkSize ?? CHUNK_SIZE;
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

  private async run(period: RunPeriod, chunkSize: number, partnerIds: string[] | null): Promise<RunResult> {
    await this.catchUp();
    const created: GeneratedInvoice[] = [];
    const skipped: SkippedPartner[] = [];
    let checkpoint: string | undefined;
    let only: string[] | null = partnerIds;
    const cache = new Map<string, Promise<FxRate | { missing: string }>>();
    const { atomicAppendMany, maxAppendBytes } = this.es.store.capabilities;
    for (let pass = 0; pass < 3; pass++) {
      const rows = await this.candidates(period, only);
      if (rows.length === 0) break;
      const candidates = rows.map(parseCandidate);
      const decision = decideInvoiceRun({
        period,
        candidates,
        rates: await this.rates(period, candidates, cache),
        guard: guardOf(rows),
        plan: { atomicAppendMany, maxAppendBytes, chunkSize },
        newInvoiceId: () => `inv_${randomUUID().replaceAll('-', '')}`,
      });
      let next = decision.chunks.length;
      for (const [i, chunk] of decision.chunks.entries()) {
        const written = await this.write(chunk.appends);
        if (!written) {
          next = i;
          break;
        }
        created.push(...chunk.invoices);
        checkpoint = written;
      }
      const stale = decision.chunks.slice(next).flatMap((c) => c.invoices.map((d) => d.partnerId));
      // a partner decided again says again what was left off its invoice
      const again = new Set(stale);
      skipped.push(...decision.skipped.filter((s) => !again.has(s.partnerId)));
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
  private candidates(period: RunPeriod, partnerIds: string[] | null): Promise<CandidateRow[]> {
    return readSql(this.orm).query<CandidateRow>(
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

  /** The rates the decision needs, looked up once per currency pair per run (`cache`). */
  private async rates(period: RunPeriod, candidates: RunCandidate[], cache: Map<string, Promise<FxRate | { missing: string }>>): Promise<RunRates> {
    const rates = new Map<string, FxRate | { missing: string }>();
    for (const [from, to] of ratePairs(period, candidates)) {
      const key = ratePair(from, to);
      if (!cache.has(key))
        cache.set(
          key,
          this.fx.lookup(from, to, period.cutoff.toISOString()).catch((e: unknown) => {
            if (e instanceof FxRateMissing) return { missing: e.message };
            throw e;
          }),
        );
      rates.set(key, await cache.get(key)!);
    }
    return rates;
  }

  /** A chunk's appends in the decided order; undefined when the guard (the one append at a version read) moved since the run read it. */
  private async write(appends: StreamAppend[]): Promise<string | undefined> {
    try {
      const results = await this.es.appendMany(appends);
      return results[results.length - 1]!.checkpoint;
    } catch (e) {
      if (e instanceof WrongExpectedVersion && appends.some((a) => a.streamId === e.streamId && typeof a.expectedVersion === 'number')) return undefined;
      throw e;
    }
  }

  private async catchUp(): Promise<void> {
    await this.runner.waitFor((await this.es.store.head()).checkpoint, 30_000, ['commissions', 'invoices']);
  }
}
