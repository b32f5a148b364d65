import type { MigrationList } from '../libs/database/orm.js';
import { EventIdsMigration, EventStoreMigration } from '../libs/event-store/postgres/event-store.migration.js';
import { ParkedEventsMigration } from '../libs/event-store/parked-events.migration.js';
import { AuthFailuresMigration } from '../libs/http/auth-failures.migration.js';
import {
  CompaniesMigration,
  CompanyCommissionReviewMigration,
  CompanyOutboundSettingsMigration,
  CompanyTrackingMigration,
  KeyRevocationMigration,
} from './companies/index.js';
import { PartnerPromotionCodesMigration, PartnersMigration } from './partners/index.js';
import { LeadsMigration, PaymentCommissionExclusionMigration, PaymentsMigration } from './attribution/index.js';
import { PayoutsMigration } from './payouts/index.js';
import { CurrencyMigration } from './currency/index.js';
import { CommissionReductionsMigration, CommissionReviewMigration, CommissionsMigration } from './commissions/index.js';
import { InvoiceBankDetailsMigration, InvoiceCarriesMigration, InvoicingMigration } from './invoicing/index.js';
import { SessionsMigration } from './sessions/index.js';
import { OutboundMigration } from './outbound/index.js';
import { TrackingFunnelMigration } from './tracking/index.js';
import { IdempotencyMigration } from './idempotency/index.js';

/** Every module's schema, in order. Append new migrations at the end; never rename one. */
export const migrations: MigrationList = [
  { name: '0001_event_store', class: EventStoreMigration },
  { name: '0002_companies', class: CompaniesMigration },
  { name: '0003_partners', class: PartnersMigration },
  { name: '0004_leads', class: LeadsMigration },
  { name: '0010_payments', class: PaymentsMigration },
  { name: '0020_fx_rates', class: CurrencyMigration },
  { name: '0021_commissions', class: CommissionsMigration },
  { name: '0030_invoices', class: InvoicingMigration },
  { name: '0040_payouts', class: PayoutsMigration },
  { name: '0050_parked_events', class: ParkedEventsMigration },
  { name: '0051_key_revocation', class: KeyRevocationMigration },
  { name: '0052_invoice_bank_details', class: InvoiceBankDetailsMigration },
  { name: '0053_event_ids', class: EventIdsMigration },
  { name: '0060_invoice_carries', class: InvoiceCarriesMigration },
  { name: '0061_company_outbound_settings', class: CompanyOutboundSettingsMigration },
  { name: '0062_outbound', class: OutboundMigration },
  { name: '0070_sessions', class: SessionsMigration },
  { name: '0080_company_tracking', class: CompanyTrackingMigration },
  { name: '0081_partner_promotion_codes', class: PartnerPromotionCodesMigration },
  { name: '0082_tracking_funnel', class: TrackingFunnelMigration },
  { name: '0090_idempotency_keys', class: IdempotencyMigration },
  { name: '0095_commission_reductions', class: CommissionReductionsMigration },
  { name: '0100_company_commission_review', class: CompanyCommissionReviewMigration },
  { name: '0101_commission_review', class: CommissionReviewMigration },
  { name: '0102_payment_commission_exclusion', class: PaymentCommissionExclusionMigration },
  { name: '0110_auth_failures', class: AuthFailuresMigration },
];
