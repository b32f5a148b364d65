/**
 * The companies module's public face: what other modules may use (never its domain/, commands/ or queries/ directly).
 * It owns the streams `company-*` (settings and billing) and `platformcustomer-*` (which company a platform customer is).
 */
import { COMPANY_EVENTS, type CompanyEvent } from './domain/company.js';
import { COMPANY_CARD_EVENTS, type CompanyCardEvent, type PlatformCustomerClaimed } from './domain/billing.js';
import type { OwnedStreams } from '../../libs/event-store/aggregate.js';

export { CompaniesModule } from './companies.module.js';
export { CompaniesQuery, type CompanyView, type TrackingSite } from './queries/companies/companies.query.js';
export { CompanyBillingQuery } from './queries/billing/company-billing.query.js';
export { RequestPlatformCustomer, RecordPlatformCustomer, RecordCompanyPaymentMethod, type SavedPaymentMethod } from './commands/billing/billing.handlers.js';
export { NOTIFICATION_KINDS, type NotificationKind, type Notifications } from './domain/company.js';
export type { CompanyEvent, CompanyCreated, CompanySettingsChanged, CompanyPublishableKeyIssued } from './domain/company.js';
export type { CompanyCardEvent, CompanyPaymentMethodSaved, CompanyBillingState } from './domain/billing.js';
export { DEFAULT_TRACKING, type TrackingSettings } from './domain/tracking-settings.js';
export { COMPANY_STRIPE_CHANGED } from './queries/companies/companies.projection.js';
export {
  CompaniesMigration,
  CompanyCommissionReviewMigration,
  CompanyOutboundSettingsMigration,
  CompanyTrackingMigration,
  KeyRevocationMigration,
} from './companies.migration.js';
export { companiesOpenApi } from './companies.openapi.js';
export { companyRef } from './domain/company.js';
export { CommissionPlanResponse } from './company.response.js';

export const COMPANIES_STREAMS = {
  company: [...COMPANY_EVENTS, ...COMPANY_CARD_EVENTS],
  platformcustomer: ['PlatformCustomerClaimed'],
} as const satisfies OwnedStreams<CompanyEvent | CompanyCardEvent | PlatformCustomerClaimed>;
