import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { decodeCursor, page, type Page } from '../../../../libs/http/pagination.js';
import { ORM } from '../../../core/tokens.js';
import { isResourceId } from '../../../shared-kernel/resource-id.js';
import { expandLines, type InvoiceGenerated, type InvoiceStatus, type LineFxByCurrency, type RecordedLine } from '../../domain/invoice.js';
import type { InvoiceResponse } from '../../invoice.response.js';

/**
 * `invoices.lines` holds the lines as the event recorded them (see `RecordedLine`): an array, or `{lines, fx}` when
 * converted lines share their rates. The API expands them (`toInvoiceView`), so answers keep the full line shape.
 */
export type StoredLines = RecordedLine[] | { lines: RecordedLine[]; fx: LineFxByCurrency };

export const storedLines = (d: InvoiceGenerated['data']): StoredLines => (d.fx ? { lines: d.lines, fx: d.fx } : d.lines);

export type InvoiceRow = {
  id: string;
  company_id: string;
  partner_id: string;
  number: string;
  sequence: number;
  status: InvoiceStatus;
  currency: string;
  total: string;
  lines: StoredLines;
  period_start: string | Date;
  period_end: string | Date;
  kind: 'payout' | 'clawback';
  carry_in: string;
  carry_out: string;
  payment_intent_id: string | null;
  failure_reason: string | null;
  paid_reference: string | null;
  paid_at: Date | null;
  position: string;
  created_at: Date;
  /** The partner's bank details when approved (encrypted); null before approval, or when it had none then. */
  bank_details_encrypted: string | null;
};

export interface InvoiceFilter {
  status?: InvoiceStatus;
  partnerId?: string;
}

@Injectable()
export class InvoicesQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async row(companyId: string, id: string): Promise<InvoiceRow> {
    if (!isResourceId(id)) throw notFound('invoice', id);
    const [row] = await readSql(this.orm).query<InvoiceRow>('select * from invoices where company_id = $1 and id = $2', [companyId, id]);
    if (!row) throw notFound('invoice', id);
    return row;
  }

  async get(companyId: string, id: string): Promise<InvoiceResponse> {
    return toInvoiceView(await this.row(companyId, id));
  }

  async list(companyId: string, filter: InvoiceFilter, cursor: string | undefined, limit: number): Promise<Page<InvoiceResponse>> {
    const rows = await readSql(this.orm).query<InvoiceRow>(
      `select * from invoices where company_id = $1 and ($2::text is null or status = $2) and ($3::text is null or partner_id = $3) and position > $4 order by position limit $5`,
      [companyId, filter.status ?? null, filter.partnerId ?? null, decodeCursor(cursor), limit + 1],
    );
    return page(rows, limit, toInvoiceView);
  }

  /** How many of the company's invoices are in each of `statuses` (0 for none). */
  async countsByStatus<S extends InvoiceStatus>(companyId: string, statuses: readonly S[]): Promise<Record<S, number>> {
    const rows = await readSql(this.orm).query<{ status: S; n: number }>(
      'select status, count(*)::int as n from invoices where company_id = $1 and status = any($2) group by status',
      [companyId, statuses],
    );
    return Object.fromEntries(statuses.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0])) as Record<S, number>;
  }

  /** The partner's invoices counted by status, and the latest one. */
  async standingOfPartner(companyId: string, partnerId: string): Promise<PartnerInvoices> {
    const rows = await readSql(this.orm).query<{ id: string; number: string; status: InvoiceStatus; failure_reason: string | null }>(
      'select id, number, status, failure_reason from invoices where company_id = $1 and partner_id = $2 order by position desc',
      [companyId, partnerId],
    );
    const counts: Partial<Record<InvoiceStatus, number>> = {};
    for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
    const latest = rows[0];
    return { counts, latest: latest ? { id: latest.id, number: latest.number, status: latest.status, failureReason: latest.failure_reason } : null };
  }
}

export interface PartnerInvoices {
  counts: Partial<Record<InvoiceStatus, number>>;
  latest: { id: string; number: string; status: InvoiceStatus; failureReason: string | null } | null;
}

const day = (d: string | Date) =>
  typeof d === 'string' ? d.slice(0, 10) : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function toInvoiceView(r: InvoiceRow): InvoiceResponse {
  return {
    id: r.id,
    partnerId: r.partner_id,
    number: r.number,
    status: r.status,
    currency: r.currency,
    total: Number(r.total),
    lines: Array.isArray(r.lines) ? expandLines(r.currency, r.lines, undefined) : expandLines(r.currency, r.lines.lines, r.lines.fx),
    kind: r.kind,
    carry: { in: Number(r.carry_in), out: Number(r.carry_out) },
    periodStart: day(r.period_start),
    periodEnd: day(r.period_end),
    paymentIntentId: r.payment_intent_id,
    failureReason: r.failure_reason,
    paidReference: r.paid_reference,
    paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
