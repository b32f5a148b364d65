/** The commissions module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { CommissionsModule } from './commissions.module.js';
export { CommissionReductionsMigration, CommissionReviewMigration, CommissionsMigration } from './commissions.migration.js';
export { commissionsOpenApi } from './commissions.openapi.js';
export { CommissionsQuery } from './queries/commissions/commissions.query.js';
export { commissionsExport, type CommissionExportFilter } from './queries/commissions/commissions.export.js';
export { commissionStream, type CommissionEarned, type CommissionReversed, type CommissionStatus } from './domain/commission.js';
export { MoneyTotal } from './commission.response.js';
/** Its read models' projections, for specs that replay them beside another module's. */
export { commissionsProjection } from './queries/commissions/commissions.projection.js';
export { ledgerProjection } from './queries/ledger/ledger.projection.js';
/** The read model of `CommissionsQuery`, to wait for before reading what an event changed. */
export const COMMISSIONS_PROJECTION = 'commissions';
