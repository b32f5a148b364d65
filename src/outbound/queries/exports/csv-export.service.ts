import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Readable } from 'node:stream';
import pg from 'pg';
import { stringify } from 'csv-stringify/sync';
import { streamRows } from '../../../../libs/database/cursor.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import type { ExportRange, ExportSource } from '../../../../libs/export/export-source.js';
import { ORM } from '../../../core/tokens.js';
import { cellsOf, headerRow } from '../../domain/csv-cells.js';

/** Exports running at once in this process, and per company: each holds a connection of its own for as long as the download lasts. */
export const MAX_EXPORTS = 4;
export const MAX_EXPORTS_PER_COMPANY = 1;
/** Rows fetched per round trip. */
const CHUNK = 1_000;
/**
 * Rows per piece of CSV handed to the response: ≈ 50 KB, below V8's large-object size (128 KB), so each piece is
 * young garbage collected at once instead of a large object waiting for a full collection (RSS stays flat).
 */
const PIECE = 200;

/**
 * Streams a read model as CSV (RFC 4180 quoting by csv-stringify, CRLF, a header row) from a server-side cursor on
 * a pool of its own, so a long download neither holds the API's connections nor grows memory: one chunk at a time,
 * and only when the client has taken the previous one (backpressure through the async generator).
 */
@Injectable()
export class CsvExports implements OnApplicationShutdown {
  private readonly pool: pg.Pool;
  private readonly running = new Map<string, number>();
  private total = 0;

  constructor(@Inject(ORM) orm: MikroORM) {
    this.pool = new pg.Pool({ connectionString: orm.config.get('clientUrl'), max: MAX_EXPORTS, application_name: 'partnerflow-exports' });
    this.pool.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  /** Reserves a slot (429 when the company or the process is at its limit), given back when the stream closes: done, failed or abandoned. */
  open<F>(companyId: string, source: ExportSource<F>, filter: F & ExportRange, now: Date): Readable {
    if ((this.running.get(companyId) ?? 0) >= MAX_EXPORTS_PER_COMPANY || this.total >= MAX_EXPORTS) {
      throw new DomainError(429, 'export_busy', 'another export is running: try again when it is done', { retryAfter: 5 });
    }
    this.running.set(companyId, (this.running.get(companyId) ?? 0) + 1);
    this.total++;
    const stream = Readable.from(this.csv(companyId, source, filter, now), { objectMode: false });
    stream.once('close', () => {
      const left = (this.running.get(companyId) ?? 1) - 1;
      if (left > 0) this.running.set(companyId, left);
      else this.running.delete(companyId);
      this.total--;
    });
    return stream;
  }

  private async *csv<F>(companyId: string, source: ExportSource<F>, filter: F & ExportRange, now: Date): AsyncGenerator<string> {
    const options = { record_delimiter: 'windows' as const };
    yield stringify([headerRow(source.columns)], options);
    const { text, params } = source.query(companyId, filter, now);
    for await (const rows of streamRows(this.pool, text, params, CHUNK)) {
      for (let i = 0; i < rows.length; i += PIECE)
        yield stringify(
          rows.slice(i, i + PIECE).map((r) => cellsOf(source.columns, r)),
          options,
        );
    }
  }
}
