import { invalidRequest, missingParam, noSuch } from '../errors.js';
import { accountObject, CONTROLLER_OF_TYPE, requirements, type AccountController, type AccountInit } from '../objects/connect.js';
import { recordEvent } from '../events.js';
import { nowSeconds, randomString } from '../ids.js';
import { paginate } from '../list.js';
import { allowOnly, mergeMetadata, optEnum, optHash, optString, requireString } from '../params.js';
import type { Ctx, Route } from '../router.js';
import { PLATFORM, type EmulatorState } from '../state.js';
import type { Obj, Params, StripeEvent } from '../types.js';

const CREATE_PARAMS = [
  'account_token',
  'business_profile',
  'business_type',
  'capabilities',
  'company',
  'controller',
  'country',
  'default_currency',
  'documents',
  'email',
  'external_account',
  'groups',
  'individual',
  'metadata',
  'settings',
  'tos_acceptance',
  'type',
];
const LINK_TTL_SECONDS = 300;
/** What Stripe requests for an account created without `capabilities` (platform defaults). */
const DEFAULT_CAPABILITIES = ['card_payments', 'transfers'];
/** Controller properties left out take the values with the least onboarding complexity (a Standard-like account). */
const CONTROLLER_DEFAULTS: AccountController = {
  fees: { payer: 'account' },
  losses: { payments: 'stripe' },
  requirement_collection: 'stripe',
  stripe_dashboard: { type: 'full' },
};

function requireAccount(ctx: Ctx, id: string, param?: string): Obj {
  const account = ctx.state.get('accounts', id);
  if (!account) throw noSuch('account', id, param);
  return account;
}

/** A destination charge needs an existing connected account whose `transfers` capability is active. */
export function requireTransferDestination(ctx: Ctx, id: string): Obj {
  const account = ctx.state.get('accounts', id);
  if (!account) throw invalidRequest(`No such destination: '${id}'`, 'transfer_data[destination]', 'resource_missing');
  if (account.capabilities?.transfers !== 'active' && account.capabilities?.crypto_transfers !== 'active') {
    throw invalidRequest(
      'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
      'transfer_data[destination]',
      'insufficient_capabilities_for_transfer',
    );
  }
  return account;
}

function requestedCapabilities(params: Params): string[] {
  const caps = optHash(params, 'capabilities') ?? {};
  return Object.entries(caps)
    .filter(([, v]) => v && typeof v === 'object' && (v as Params).requested === 'true')
    .map(([name]) => name);
}

/** `type` (deprecated) or `controller` properties, never both; what the account's controller ends up as. */
function accountSetup(params: Params): { type: AccountInit['type']; controller: AccountController } {
  const type = optEnum(params, 'type', ['custom', 'express', 'standard'] as const);
  const given = optHash(params, 'controller');
  if (type && given) throw invalidRequest('You may only specify one of these parameters: controller, type.', 'controller', 'parameters_exclusive');
  if (type) return { type, controller: CONTROLLER_OF_TYPE[type] };
  const c = given ?? {};
  allowOnly(c, ['application', 'dashboard', 'fees', 'losses', 'requirement_collection', 'stripe_dashboard']);
  const controller: AccountController = {
    fees: { payer: optEnum(optHash(c, 'fees') ?? {}, 'payer', ['account', 'application'] as const) ?? CONTROLLER_DEFAULTS.fees.payer },
    losses: { payments: optEnum(optHash(c, 'losses') ?? {}, 'payments', ['application', 'stripe'] as const) ?? CONTROLLER_DEFAULTS.losses.payments },
    requirement_collection: optEnum(c, 'requirement_collection', ['application', 'stripe'] as const) ?? CONTROLLER_DEFAULTS.requirement_collection,
    stripe_dashboard: {
      type: optEnum(optHash(c, 'stripe_dashboard') ?? {}, 'type', ['express', 'full', 'none'] as const) ?? CONTROLLER_DEFAULTS.stripe_dashboard.type,
    },
  };
  if (controller.stripe_dashboard.type === 'express' && (controller.fees.payer !== 'application' || controller.losses.payments !== 'application')) {
    throw invalidRequest(
      'When `stripe_dashboard[type]=express`, your platform must collect fees and be liable for negative balances or refunds and chargebacks.',
      'controller',
    );
  }
  if (!given) return { type: 'standard', controller };
  return { type: 'none', controller };
}

/**
 * The `recipient` service agreement: only for accounts without the full Stripe Dashboard whose losses the platform
 * bears, and never with `card_payments` (docs.stripe.com/connect/service-agreement-types). Stripe's wording of these
 * two refusals is not published; the refusals are.
 */
function serviceAgreement(params: Params, controller: AccountController, capabilities: string[]): 'full' | 'recipient' {
  const tos = optHash(params, 'tos_acceptance') ?? {};
  const agreement = optEnum(tos, 'service_agreement', ['full', 'recipient'] as const) ?? 'full';
  if (agreement === 'recipient') {
    if (capabilities.includes('card_payments')) {
      throw invalidRequest('Accounts under the `recipient` service agreement cannot request the `card_payments` capability.', 'capabilities[card_payments]');
    }
    if (controller.stripe_dashboard.type === 'full' || controller.losses.payments !== 'application') {
      throw invalidRequest(
        'The `recipient` service agreement is only available to accounts without the full Stripe Dashboard whose negative balances your platform is liable for.',
        'tos_acceptance[service_agreement]',
      );
    }
  }
  return agreement;
}

function create(ctx: Ctx): Obj {
  const { params } = ctx;
  allowOnly(params, CREATE_PARAMS);
  const { type, controller } = accountSetup(params);
  const country = (optString(params, 'country') ?? ctx.state.platformCountry).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw invalidRequest(`Country '${country}' is unknown.`, 'country');
  const email = optString(params, 'email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalidRequest(`Invalid email address: ${email}`, 'email', 'email_invalid');
  const requested = requestedCapabilities(params);
  const capabilities = requested.length ? requested : DEFAULT_CAPABILITIES;
  const account = accountObject({
    type,
    controller,
    country,
    email: email ?? null,
    metadata: mergeMetadata({}, params),
    capabilities,
    serviceAgreement: serviceAgreement(params, controller, capabilities),
    businessType: optEnum(params, 'business_type', ['company', 'government_entity', 'individual', 'non_profit'] as const) ?? null,
  });
  return ctx.state.put('accounts', account, PLATFORM);
}

/** `GET /v1/account`: the platform's own account, as its secret key sees it. */
function platformAccount(ctx: Ctx): Obj {
  const account = accountObject({
    id: 'acct_1EmulatorPlatform',
    type: 'standard',
    country: ctx.state.platformCountry,
    onboarded: true,
    capabilities: ['card_payments', 'transfers'],
  });
  return { ...account, controller: { type: 'account' } };
}

function update(ctx: Ctx, id: string): Obj {
  allowOnly(ctx.params, [...CREATE_PARAMS.filter((p) => p !== 'type' && p !== 'country' && p !== 'controller')]);
  const account = requireAccount(ctx, id);
  account.metadata = mergeMetadata(account.metadata, ctx.params);
  const email = optString(ctx.params, 'email');
  if (email !== undefined) account.email = email || null;
  for (const cap of requestedCapabilities(ctx.params)) {
    account.capabilities[cap] ??= account.charges_enabled ? 'active' : 'inactive';
  }
  ctx.emit('account.updated', account, { account: id });
  return account;
}

function createLink(ctx: Ctx): Obj {
  const { params } = ctx;
  allowOnly(params, ['account', 'collect', 'collection_options', 'refresh_url', 'return_url', 'type']);
  const accountId = requireString(params, 'account');
  const type = optEnum(params, 'type', ['account_onboarding', 'account_update'] as const);
  if (!type) throw missingParam('type');
  const refreshUrl = requireString(params, 'refresh_url');
  const returnUrl = requireString(params, 'return_url');
  const account = requireAccount(ctx, accountId, 'account');
  if (type === 'account_update' && account.type !== 'custom') {
    throw invalidRequest(`You cannot create \`account_update\` type Account Links for ${account.type} accounts.`, 'type');
  }
  const created = nowSeconds();
  const token = randomString(12);
  const link = {
    object: 'account_link',
    created,
    expires_at: created + LINK_TTL_SECONDS,
    url: `${ctx.state.baseUrl()}/connect/onboarding/${accountId}/${token}`,
  };
  ctx.state.put('account_links', { id: token, ...link, account: accountId, type, refresh_url: refreshUrl, return_url: returnUrl, used: false });
  return link;
}

/** Simulates the user finishing Stripe-hosted onboarding: the account becomes fully enabled. */
export function completeAccountOnboarding(state: EmulatorState, accountId: string): StripeEvent {
  const account = state.get('accounts', accountId);
  if (!account) throw new Error(`No such account: '${accountId}'`);
  const previous = {
    capabilities: { ...account.capabilities },
    charges_enabled: account.charges_enabled,
    details_submitted: account.details_submitted,
    payouts_enabled: account.payouts_enabled,
    requirements: structuredClone(account.requirements),
  };
  for (const cap of Object.keys(account.capabilities)) account.capabilities[cap] = 'active';
  Object.assign(account, {
    business_type: account.business_type ?? 'individual',
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
    requirements: requirements([]),
    tos_acceptance: { ...account.tos_acceptance, date: nowSeconds() },
  });
  return recordEvent(state, accountId, 'account.updated', account, { previousAttributes: previous });
}

/** The hosted onboarding page: a valid link completes onboarding and redirects to `return_url`. */
export function visitOnboardingLink(state: EmulatorState, accountId: string, token: string): string | undefined {
  const link = state.get('account_links', token);
  if (!link || link.account !== accountId) return undefined;
  if (link.used || link.expires_at < nowSeconds()) return link.refresh_url;
  link.used = true;
  completeAccountOnboarding(state, accountId);
  return link.return_url;
}

export const accountRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/accounts', handler: create },
  { method: 'GET', pattern: '/v1/account', handler: platformAccount },
  { method: 'GET', pattern: '/v1/accounts/:id', handler: (ctx, id) => requireAccount(ctx, id) },
  { method: 'POST', pattern: '/v1/accounts/:id', handler: update },
  {
    method: 'DELETE',
    pattern: '/v1/accounts/:id',
    handler: (ctx, id) => {
      requireAccount(ctx, id);
      ctx.state.table('accounts').delete(id);
      return { id, object: 'account', deleted: true };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/accounts',
    handler: (ctx) => {
      allowOnly(ctx.params, ['created', 'ending_before', 'limit', 'starting_after']);
      return paginate(ctx.state.list('accounts', PLATFORM), ctx.params, '/v1/accounts', 'account');
    },
  },
  { method: 'POST', pattern: '/v1/account_links', handler: createLink },
];
