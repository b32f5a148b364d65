import { newId, nowSeconds } from '../ids.js';
import type { Obj } from '../types.js';
import { listOf } from './shared.js';

export interface AccountController {
  fees: { payer: string };
  losses: { payments: string };
  requirement_collection: string;
  stripe_dashboard: { type: string };
}

export interface AccountInit {
  id?: string;
  /** The deprecated account type; an account made with controller properties instead has type `none`. */
  type?: 'express' | 'standard' | 'custom' | 'none';
  controller?: AccountController;
  country?: string;
  email?: string | null;
  metadata?: Obj;
  /** The requested capabilities (`transfers` when none is given). */
  capabilities?: string[];
  serviceAgreement?: 'full' | 'recipient';
  businessType?: string | null;
  onboarded?: boolean;
  created?: number;
}

/** What each deprecated type stands for (docs.stripe.com/connect/migrate-to-controller-properties). */
export const CONTROLLER_OF_TYPE: Record<'express' | 'standard' | 'custom', AccountController> = {
  express: {
    fees: { payer: 'application_express' },
    losses: { payments: 'application' },
    requirement_collection: 'stripe',
    stripe_dashboard: { type: 'express' },
  },
  standard: { fees: { payer: 'account' }, losses: { payments: 'stripe' }, requirement_collection: 'stripe', stripe_dashboard: { type: 'full' } },
  custom: {
    fees: { payer: 'application_custom' },
    losses: { payments: 'application' },
    requirement_collection: 'application',
    stripe_dashboard: { type: 'none' },
  },
};

const ONBOARDING_REQUIREMENTS = ['business_type', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'];

export function accountObject(o: AccountInit = {}): Obj {
  const id = o.id ?? newId('acct', 17);
  const type = o.type ?? (o.controller ? 'none' : 'express');
  const controller = o.controller ?? CONTROLLER_OF_TYPE[type === 'none' ? 'express' : type];
  const onboarded = o.onboarded ?? false;
  const capabilities = Object.fromEntries((o.capabilities ?? ['transfers']).map((c) => [c, onboarded ? 'active' : 'inactive']));
  const due = onboarded ? [] : ONBOARDING_REQUIREMENTS;
  const now = nowSeconds();
  return {
    id,
    object: 'account',
    business_profile: {
      annual_revenue: null,
      estimated_worker_count: null,
      mcc: null,
      minority_owned_business_designation: null,
      name: null,
      product_description: null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
    },
    business_type: o.businessType ?? null,
    capabilities,
    charges_enabled: onboarded,
    controller: { ...structuredClone(controller), is_controller: true, type: 'application' },
    country: o.country ?? 'US',
    created: o.created ?? now,
    default_currency: 'usd',
    details_submitted: onboarded,
    email: o.email ?? null,
    external_accounts: listOf([], `/v1/accounts/${id}/external_accounts`),
    future_requirements: requirements([]),
    metadata: o.metadata ?? {},
    payouts_enabled: onboarded,
    requirements: requirements(due),
    settings: {
      bacs_debit_payments: { display_name: null, service_user_number: null },
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_issuing: { tos_acceptance: { date: null, ip: null } },
      card_payments: {
        decline_on: { avs_failure: false, cvc_failure: false },
        statement_descriptor_prefix: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      dashboard: { display_name: null, timezone: 'Etc/UTC' },
      invoices: { default_account_tax_ids: null, hosted_payment_method_save: 'offer' },
      payments: {
        statement_descriptor: null,
        statement_descriptor_kana: null,
        statement_descriptor_kanji: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      payouts: { debit_negative_balances: true, schedule: { delay_days: 2, interval: 'daily' }, statement_descriptor: null },
      sepa_debit_payments: {},
    },
    tos_acceptance: { date: onboarded ? now : null, ip: null, ...(o.serviceAgreement ? { service_agreement: o.serviceAgreement } : {}), user_agent: null },
    type,
  };
}

export function requirements(due: string[]): Obj {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: [...due],
    disabled_reason: due.length ? 'requirements.past_due' : null,
    errors: [],
    eventually_due: [...due],
    past_due: [...due],
    pending_verification: [],
  };
}
