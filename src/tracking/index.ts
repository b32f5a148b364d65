/** The tracking module's public face: its contract (contract.ts), its Nest module, and what the app serves before Nest. */
export * from './contract.js';
export { TrackingModule } from './tracking.module.js';
export { TrackingFunnelMigration } from './tracking.migration.js';
export { trackingOpenApi } from './tracking.openapi.js';
export { ReferralRedirect } from './commands/record-click/referral-redirect.js';
export { referralRedirectRoute } from './commands/record-click/referral-redirect.lean-route.js';
