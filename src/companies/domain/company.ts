import type { CommissionPlan } from '../../shared-kernel/commission-plan.js';
import { DEFAULT_SCHEDULE, type InvoiceSchedule } from '../../shared-kernel/invoice-schedule.js';
import { aggregate, eventTypes, streamOf } from '../../../libs/event-store/aggregate.js';
import { randomBytes } from 'node:crypto';
import { DEFAULT_TRACKING, type TrackingSettings } from './tracking-settings.js';

/** The e-mails Partnerflow sends (src/outbound): to the partner, or to the company's admins. */
export const NOTIFICATION_KINDS = [
  'login_link',
  'invoice_approved',
  'invoice_paid',
  'invoice_payment_failed',
  'payout_failed',
  'unattributed_digest',
  'webhook_endpoint_disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Who gets the company's e-mails, and which kinds are switched off (SPEC §12). */
export interface Notifications {
  adminEmails: string[];
  disabled: NotificationKind[];
}

export const DEFAULT_NOTIFICATIONS: Notifications = { adminEmails: [], disabled: [] };

/** SPEC §11: `manual` holds every new commission in review; `auto` only the flagged ones. */
export type CommissionReview = 'auto' | 'manual';
export const COMMISSION_REVIEW_MODES = ['auto', 'manual'] as const;
/** Fraud checks' settings: above this refunded share of a partner's last 90 days' revenue, a commission is flagged. */
export interface FraudSettings {
  refundRateThreshold: number;
}
export const DEFAULT_FRAUD: FraudSettings = { refundRateThreshold: 0.3 };

export const companyStream = (companyId: string) => `company-${companyId}`;

/** `publishableKey`: absent on companies created before tracking existed (they get one with CompanyPublishableKeyIssued). */
export type CompanyCreated = {
  type: 'CompanyCreated';
  data: {
    companyId: string;
    name: string;
    currency: string;
    invoiceSchedule: InvoiceSchedule;
    commissionPlan: CommissionPlan;
    adminKeyHash: string;
    publishableKey?: string;
  };
};
export type CompanySettingsChanged = {
  type: 'CompanySettingsChanged';
  data: {
    companyId: string;
    name?: string;
    currency?: string;
    invoiceSchedule?: InvoiceSchedule;
    commissionPlan?: CommissionPlan;
    notifications?: Notifications;
    stripeWriteBack?: boolean;
    tracking?: TrackingSettings;
    commissionReview?: CommissionReview;
    fraud?: FraudSettings;
  };
};
/** The public key of the tracking endpoints (`pk_…`): not a secret, it only names the company to them. */
export type CompanyPublishableKeyIssued = { type: 'CompanyPublishableKeyIssued'; data: { companyId: string; publishableKey: string } };
/** Secrets travel only encrypted (AES-256-GCM): events are immutable and must never hold them in clear. */
export type CompanyStripeConnected = {
  type: 'CompanyStripeConnected';
  data: { companyId: string; webhookSecretEncrypted: string; apiKeyEncrypted: string | null };
};
/** The admin key was replaced: the one before stops working at once (the auth lookup reads the api_keys projection, settled before answering). */
export type CompanyAdminKeyRotated = { type: 'CompanyAdminKeyRotated'; data: { companyId: string; adminKeyHash: string } };
export type CompanyEvent = CompanyCreated | CompanySettingsChanged | CompanyStripeConnected | CompanyAdminKeyRotated | CompanyPublishableKeyIssued;
export const COMPANY_EVENTS = eventTypes<CompanyEvent>()(
  'CompanyCreated',
  'CompanySettingsChanged',
  'CompanyStripeConnected',
  'CompanyAdminKeyRotated',
  'CompanyPublishableKeyIssued',
);

export const newPublishableKey = (): string => `pk_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;

export interface CompanyState {
  exists: boolean;
  name: string;
  currency: string;
  invoiceSchedule: InvoiceSchedule;
  commissionPlan: CommissionPlan | null;
  notifications: Notifications;
  stripeWriteBack: boolean;
  tracking: TrackingSettings;
  publishableKey: string | null;
  commissionReview: CommissionReview;
  fraud: FraudSettings;
}

export const initialCompany: CompanyState = {
  exists: false,
  name: '',
  currency: 'usd',
  invoiceSchedule: DEFAULT_SCHEDULE,
  commissionPlan: null,
  notifications: DEFAULT_NOTIFICATIONS,
  stripeWriteBack: false,
  tracking: DEFAULT_TRACKING,
  publishableKey: null,
  commissionReview: 'auto',
  fraud: DEFAULT_FRAUD,
};

export function evolveCompany(state: CompanyState, e: CompanyEvent): CompanyState {
  switch (e.type) {
    case 'CompanyCreated':
      return {
        ...initialCompany,
        exists: true,
        name: e.data.name,
        currency: e.data.currency,
        invoiceSchedule: e.data.invoiceSchedule,
        commissionPlan: e.data.commissionPlan,
        publishableKey: e.data.publishableKey ?? null,
      };
    case 'CompanySettingsChanged': {
      const { companyId: _, ...changes } = e.data;
      return { ...state, ...changes };
    }
    case 'CompanyPublishableKeyIssued':
      return { ...state, publishableKey: e.data.publishableKey };
    default:
      return state;
  }
}

export type SettingsPatch = Omit<CompanySettingsChanged['data'], 'companyId' | 'tracking'> & { tracking?: Partial<TrackingSettings> };

/**
 * Only what differs becomes an event; an empty patch changes nothing. `tracking` is merged into the current
 * settings; a company created before tracking existed is issued its publishable key (`newKey`) with its first
 * tracking settings.
 */
export function decideSettings(
  state: CompanyState,
  companyId: string,
  patch: SettingsPatch,
  newKey: () => string = newPublishableKey,
): (CompanySettingsChanged | CompanyPublishableKeyIssued)[] {
  const merged = { ...patch, tracking: patch.tracking && { ...state.tracking, ...patch.tracking } };
  const changed = Object.fromEntries(
    Object.entries(merged).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(state[k as keyof CompanyState])),
  );
  if (!Object.keys(changed).length) return [];
  const events: (CompanySettingsChanged | CompanyPublishableKeyIssued)[] = [{ type: 'CompanySettingsChanged', data: { companyId, ...changed } }];
  if (changed.tracking && !state.publishableKey) events.push({ type: 'CompanyPublishableKeyIssued', data: { companyId, publishableKey: newKey() } });
  return events;
}

/** The company's settings, from its stream (`company-<id>`, which also holds its billing: see billing.ts). */
export const company = aggregate<CompanyState, CompanyEvent>({ category: 'company', types: COMPANY_EVENTS, initial: initialCompany, evolve: evolveCompany });
export const companyRef = (companyId: string) => streamOf(company, companyStream(companyId));
