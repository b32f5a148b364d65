/**
 * The companies module's public face: what other modules may use of it. Nothing outside imports its
 * domain/, commands/ or queries/ directly.
 */
export { companyStream, type CompanyCreated, type CompanySettingsChanged, type CompanyPublishableKeyIssued } from './domain/company.js';
export { DEFAULT_TRACKING, type TrackingSettings } from './domain/tracking-settings.js';
export { CompaniesQuery, type TrackingSite } from './queries/companies/companies.query.js';
