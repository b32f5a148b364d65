import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

/** The currency module's operations (FX rates). */
export const currencyOpenApi: ModuleOpenApi = {
  tags: [{ name: 'Currency', description: 'FX rates: published by the operator, used by invoices (a partner paid in another currency) and display totals.' }],
  operations: {
    fxRatesPublish: {
      summary: 'Publish FX rates',
      description:
        'Stores a set of rates from `base` at `asOf`: 1 `base` = rate × quote. Conversions use the latest set at or before their date, ' +
        'directly or inverted, and record the set they used (`fxRateId`). Rates are kept as given (decimal strings), never rounded. ' +
        'Each call stores a new set (a PUT sent twice stores the same rates twice, which changes no conversion).',
      request: { base: 'usd', asOf: '2025-03-31T00:00:00Z', rates: { eur: 0.92, gbp: 0.79 }, source: 'ecb' },
      response: {
        ratesId: 'fxr_6f4283fb0a3b446e98166591db00f047',
        base: 'usd',
        asOf: '2025-03-31T00:00:00.000Z',
        source: 'ecb',
        rates: { eur: '0.92', gbp: '0.79' },
      },
      errors: { 422: ['`invalid_field`: `rates` is empty, a code is not an ISO 4217 currency, a rate is not positive, or `source` is not valid text'] },
    },
    fxRatesLookup: {
      summary: 'Look up the rate a conversion would use',
      description: 'The rate from `from` to `to` that a conversion at `at` would use: the latest published at or before it, direct or inverted.',
      response: { id: 'fxr_6f4283fb0a3b446e98166591db00f047:eur', base: 'usd', quote: 'eur', rate: '0.92', asOf: '2025-03-31T00:00:00.000Z', source: 'ecb' },
      errors: {
        422: ['`fx_rate_missing`: no rate between the two currencies at or before `at`; publish one', '`invalid_field`: `from` and `to` are the same currency'],
      },
    },
  },
};
