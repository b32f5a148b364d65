import { newId, nowSeconds } from '../ids.js';
import type { Obj } from '../types.js';
import { listOf } from './shared.js';

export interface AccountInit {
  id?: string;
  type?: string;
  country?: string;
  email?: string | null;
  metadata?: Obj;
  capabilities?: string[];
  businessType?: string | null;
  onboarded?: boolean;
  created?: number;
}

const ONBOARDING_REQUIREMENTS = ['business_type', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'];

export function accountObject(o: AccountInit = {}): Obj {
  const id = o.id ?? newId('acct', 17);
  const type = o.type ?? 'express';
  const onboarded = o.onboarded ?? false;
  const capabilities = Object.fromEntries((o.capabilities ?? ['transfers']).map((c) => [c, onboarded ? 'active' : 'inactive']));
  const due = onboarded ? [] : ONBOARDING_REQUIREMENTS;
  return {
    id,
    object: 'account',
    business_profile: { mcc: null, name: null, product_description: null, support_email: null, support_phone: null, support_url: null, url: null },
    business_type: o.businessType ?? null,
    capabilities,
    charges_enabled: onboarded,
    controller: {
      fees: { payer: 'application' },
      is_controller: true,
      losses: { payments: 'application' },
      requirement_collection: 'stripe',
      stripe_dashboard: { type: type === 'standard' ? 'full' : type === 'express' ? 'express' : 'none' },
      type: 'application',
    },
    country: o.country ?? 'US',
    created: o.created ?? nowSeconds(),
    default_currency: 'usd',
    details_submitted: onboarded,
    email: o.email ?? null,
    external_accounts: listOf([], `/v1/accounts/${id}/external_accounts`),
    future_requirements: requirements([]),
    metadata: o.metadata ?? {},
    payouts_enabled: onboarded,
    requirements: requirements(due),
    settings: { payouts: { debit_negative_balances: true, schedule: { delay_days: 2, interval: 'daily' }, statement_descriptor: null } },
    tos_acceptance: { date: onboarded ? nowSeconds() : null },
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
