import { invalidRequest, missingParam, noSuch } from '../errors.js';
import { accountObject, requirements } from '../objects/connect.js';
import { recordEvent } from '../events.js';
import { nowSeconds, randomString } from '../ids.js';
import { paginate } from '../list.js';
import { allowOnly, mergeMetadata, optEnum, optHash, optString, requireString } from '../params.js';
import type { Ctx, Route } from '../router.js';
import { PLATFORM, type EmulatorState } from '../state.js';
import type { Obj, Params, StripeEvent } from '../types.js';

const CREATE_PARAMS = [
  'account_token', 'business_profile', 'business_type', 'capabilities', 'company', 'controller', 'country', 'default_currency',
  'documents', 'email', 'external_account', 'groups', 'individual', 'metadata', 'settings', 'tos_acceptance', 'type',
];
const LINK_TTL_SECONDS = 300;
/** What Stripe requests for a US account created with only `type` (platform defaults). */
const DEFAULT_CAPABILITIES = ['card_payments', 'transfers'];

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

function accountType(params: Params): string {
  const type = optEnum(params, 'type', ['custom', 'express', 'standard'] as const);
  if (type) return type;
  const dashboard = optHash(optHash(params, 'controller') ?? {}, 'stripe_dashboard');
  if (!dashboard) throw missingParam('type');
  return ({ express: 'express', full: 'standard', none: 'custom' } as Record<string, string>)[String(dashboard.type)] ?? 'custom';
}

function create(ctx: Ctx): Obj {
  const { params } = ctx;
  allowOnly(params, CREATE_PARAMS);
  const type = accountType(params);
  const country = (optString(params, 'country') ?? 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw invalidRequest(`Country '${country}' is unknown.`, 'country');
  const email = optString(params, 'email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalidRequest(`Invalid email address: ${email}`, 'email', 'email_invalid');
  const requested = requestedCapabilities(params);
  const capabilities = requested.length ? requested : DEFAULT_CAPABILITIES;
  const account = accountObject({
    type,
    country,
    email: email ?? null,
    metadata: mergeMetadata({}, params),
    capabilities,
    businessType: optEnum(params, 'business_type', ['company', 'government_entity', 'individual', 'non_profit'] as const) ?? null,
  });
  return ctx.state.put('accounts', account, PLATFORM);
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
    tos_acceptance: { date: nowSeconds() },
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

