import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { FxRatesPublished } from '../../domain/fx-rates.js';

/** One row per (published table, quote); a re-publication for the same date wins by position. */
export const fxRatesProjection = projection<FxRatesPublished>()({
  name: 'fx_rates',
  tables: ['fx_rates'],
  types: ['FxRatesPublished'],
  async apply(event, sql) {
    if (event.type !== 'FxRatesPublished') return;
    const d = event.data;
    const quotes = Object.keys(d.rates);
    await sql.query(
      `insert into fx_rates (id, base, quote, rate, as_of, source, position)
       select $1 || ':' || q, $2, q, r, $3, $4, $5 from unnest($6::text[], $7::text[]) as x(q, r)
       on conflict (id) do nothing`,
      [d.ratesId, d.base, d.asOf, d.source, event.globalPosition, quotes, quotes.map((q) => d.rates[q])],
    );
  },
});
