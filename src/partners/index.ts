/** The partners module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { PartnersModule } from './partners.module.js';
export { PartnersQuery, type PartnerView } from './queries/partners/partners.query.js';
export { partnersExport, type PartnerExportFilter } from './queries/partners/partners.export.js';
export type { PartnerCreated } from './domain/partner.js';
/** The read model of `PartnersQuery`, to wait for before reading what an event changed. */
export const PARTNERS_PROJECTION = 'partners';
