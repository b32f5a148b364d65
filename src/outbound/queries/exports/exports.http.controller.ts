import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { invalid, notFound } from '../../../../libs/http/domain-error.js';
import type { ExportRange, ExportSource } from '../../../../libs/export/export-source.js';
import { leadsExport, paymentsExport } from '../../../attribution/index.js';
import { commissionsExport } from '../../../commissions/index.js';
import { invoicesExport } from '../../../invoicing/index.js';
import { partnersExport } from '../../../partners/index.js';
import { CsvExports } from './csv-export.service.js';

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Every list filter of every export; each export takes only its own (others are refused, naming them). */
class ExportQuery {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD (from the start of that UTC day) or an ISO timestamp; inclusive' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'from must be YYYY-MM-DD or an ISO 8601 timestamp' })
  from?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD (to the end of that UTC day) or an ISO timestamp; inclusive' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'to must be YYYY-MM-DD or an ISO 8601 timestamp' })
  to?: string;

  @ApiPropertyOptional({ description: 'payments' }) @IsOptional() @IsIn(['attributed', 'unattributed']) attribution?: 'attributed' | 'unattributed';
  @ApiPropertyOptional({ description: 'payments' }) @IsOptional() @IsString() @MaxLength(200) customerId?: string;
  @ApiPropertyOptional({ description: 'payments, commissions, invoices, leads' }) @IsOptional() @IsString() @MaxLength(100) partnerId?: string;
  @ApiPropertyOptional({ description: 'payments' }) @IsOptional() @IsString() @MaxLength(100) leadId?: string;
  @ApiPropertyOptional({
    description:
      'commissions (pending_review, pending, payable, invoiced, paid, reversed, declined) and invoices (pending_approval, approved, processing, paid, payment_failed, void)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  status?: string;
  @ApiPropertyOptional({ description: 'partners, leads' }) @IsOptional() @IsString() @MaxLength(320) email?: string;
}

type Export = { source: ExportSource<any>; filters: (keyof ExportQuery)[]; statuses?: readonly string[] };

const EXPORTS: Record<string, Export> = {
  'payments.csv': { source: paymentsExport, filters: ['attribution', 'customerId', 'partnerId', 'leadId'] },
  'commissions.csv': {
    source: commissionsExport,
    filters: ['partnerId', 'status'],
    statuses: ['pending_review', 'pending', 'payable', 'invoiced', 'paid', 'reversed', 'declined'],
  },
  'invoices.csv': {
    source: invoicesExport,
    filters: ['partnerId', 'status'],
    statuses: ['pending_approval', 'approved', 'processing', 'paid', 'payment_failed', 'void'],
  },
  'partners.csv': { source: partnersExport, filters: ['email'] },
  'leads.csv': { source: leadsExport, filters: ['email', 'partnerId'] },
};

function instant(field: 'from' | 'to', raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const [y, m, d] = raw.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  // Date rolls 2026-02-31 over to March: a day that does not exist is refused instead
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) throw invalid(field, `${field} is not a valid date`);
  const date = new Date(raw.length === 10 ? `${raw}T${field === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : raw);
  if (Number.isNaN(date.getTime())) throw invalid(field, `${field} is not a valid date`);
  return date;
}

@ApiTags('exports')
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exports: CsvExports) {}

  @Get(':file')
  @Auth('admin')
  @ApiParam({ name: 'file', enum: Object.keys(EXPORTS) })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'RFC 4180 CSV with a header row and CRLF line ends; amounts in minor units plus a <name>_decimal column; the list filters plus from/to',
  })
  async export(@Caller() caller: AdminPrincipal, @Param('file') file: string, @Query() q: ExportQuery, @Res() res: Response): Promise<void> {
    const spec = Object.hasOwn(EXPORTS, file) ? EXPORTS[file]! : undefined;
    if (!spec) throw notFound('export', file);
    for (const [key, value] of Object.entries(q)) {
      if (value !== undefined && key !== 'from' && key !== 'to' && !spec.filters.includes(key as keyof ExportQuery))
        throw invalid(key, `${file} has no filter ${key} (its filters: ${spec.filters.join(', ')}, from, to)`);
    }
    if (q.status !== undefined && !spec.statuses?.includes(q.status)) throw invalid('status', `status must be one of ${spec.statuses?.join(', ')}`);
    const range: ExportRange = { from: instant('from', q.from), to: instant('to', q.to) };
    if (range.from && range.to && range.from > range.to) throw invalid('from', 'from must not be after to');
    const stream = this.exports.open(caller.companyId, spec.source, { ...q, ...range }, new Date());
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${file.replace('.csv', '')}-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    // A failure after the first bytes cannot become a problem+json: the download is cut short instead (no clean end).
    await pipeline(stream, res).catch(() => res.destroy());
  }
}
