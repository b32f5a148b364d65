/** The commissions module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { CommissionsModule } from './commissions.module.js';
export { CommissionsQuery } from './queries/commissions/commissions.query.js';
export { commissionsExport, type CommissionExportFilter } from './queries/commissions/commissions.export.js';
export { commissionStream, type CommissionEarned, type CommissionReversed, type CommissionStatus } from './domain/commission.js';
/** The read model of `CommissionsQuery`, to wait for before reading what an event changed. */
export const COMMISSIONS_PROJECTION = 'commissions';
