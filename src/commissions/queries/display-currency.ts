import { Injectable } from '@nestjs/common';
import { convert, money } from '../../../libs/money/index.js';
import { CompaniesQuery } from '../../companies/index.js';
import { FxRateMissing, FxRatesQuery } from '../../currency/index.js';
import type { UsedRateResponse } from '../commission.response.js';

type Figures<K extends string> = { currency: string } & Record<K, number>;

/** Converts per-currency figures into the company's display currency at the rate of `at`, naming each rate used. */
@Injectable()
export class DisplayCurrency {
  constructor(
    private readonly companies: CompaniesQuery,
    private readonly rates: FxRatesQuery,
  ) {}

  async convert<K extends string>(
    companyId: string,
    rows: Figures<K>[],
    keys: readonly K[],
    at: Date,
  ): Promise<{ display: (Figures<K> & { rates: UsedRateResponse[] }) | null; displayError: string | null }> {
    const { currency } = await this.companies.get(companyId);
    const total = { currency, ...Object.fromEntries(keys.map((k) => [k, 0])) } as Figures<K>;
    const used: UsedRateResponse[] = [];
    try {
      for (const row of rows) {
        const rate = row.currency === currency ? null : await this.rates.lookup(row.currency, currency, at.toISOString());
        if (rate)
          used.push({
            from: row.currency,
            to: currency,
            rate: rate.rate,
            rateId: rate.id,
            asOf: rate.asOf,
            source: rate.source,
            inverted: rate.base !== row.currency,
          });
        for (const k of keys) {
          const value = rate ? convert(money(row[k], row.currency), rate).to.amount : row[k];
          (total as Record<string, number>)[k] += value;
        }
      }
    } catch (e) {
      if (e instanceof FxRateMissing) return { display: null, displayError: e.message };
      throw e;
    }
    return { display: { ...total, rates: used }, displayError: null };
  }
}
