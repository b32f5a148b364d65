/** The payouts module's public face: what other modules and the app may use (never its domain/, commands/ or queries/ directly). */
export { PayoutsModule } from './payouts.module.js';
export { PayoutsMigration } from './payouts.migration.js';
export { payoutsOpenApi } from './payouts.openapi.js';
