/** The companies module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
export { CompaniesModule } from './companies.module.js';
export { CompaniesQuery, type CompanyView, type TrackingSite } from './queries/companies/companies.query.js';
export { NOTIFICATION_KINDS, type NotificationKind, type Notifications } from './domain/company.js';
export { companyStream, type CompanyCreated, type CompanySettingsChanged, type CompanyPublishableKeyIssued } from './domain/company.js';
export { DEFAULT_TRACKING, type TrackingSettings } from './domain/tracking-settings.js';
