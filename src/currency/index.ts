/** The currency module's public face: what other modules and the app may use (never its domain/, commands/ or queries/ directly). */
export { CurrencyModule } from './currency.module.js';
export { CurrencyMigration } from './currency.migration.js';
export { currencyOpenApi } from './currency.openapi.js';
export { FxRatesQuery } from './queries/fx-rates/fx-rates.query.js';
export { FxRateMissing } from './domain/fx-rate-missing.error.js';
export { instant } from './domain/fx-rates.js';
export { isWellFormed } from './domain/text.js';
