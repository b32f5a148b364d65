import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import type { FxRate } from '../../../../libs/money/index.js';
import { ORM } from '../../../core/tokens.js';
import { FxRateMissing } from '../../domain/fx-rate-missing.error.js';

type Row = { id: string; base: string; quote: string; rate: string; as_of: Date; source: string };

/** Rate lookup: the latest rate at or before the date, published in either direction. */
@Injectable()
export class FxRatesQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async find(from: string, to: string, at: string): Promise<FxRate | undefined> {
    const [row] = await readSql(this.orm).query<Row>(
      `select id, base, quote, rate, as_of, source from fx_rates
       where ((base = $1 and quote = $2) or (base = $2 and quote = $1)) and as_of <= $3
       order by as_of desc, position desc limit 1`,
      [from, to, at],
    );
    return row && { id: row.id, base: row.base, quote: row.quote, rate: row.rate, asOf: new Date(row.as_of).toISOString(), source: row.source };
  }

  /** Throws FxRateMissing (422) when there is none; same currency needs no rate and is refused here. */
  async lookup(from: string, to: string, at: string): Promise<FxRate> {
    const rate = await this.find(from, to, at);
    if (!rate) throw new FxRateMissing(from, to, at);
    return rate;
  }
}
