/**
 * The commissions module's public face for modules built after it (tracking's funnel reads its events).
 * Nothing outside imports its domain/, commands/ or queries/ directly.
 */
export { commissionStream, type CommissionEarned, type CommissionReversed } from './domain/commission.js';
