import type Stripe from 'stripe';
import type { AccountStatus, PartnerConnectState } from '../../partners/index.js';

type PartnerIds = { partnerId: string; companyId: string };

/** The Express dashboard as controller properties (what `type: 'express'` stands for, docs.stripe.com/connect/migrate-to-controller-properties). */
export const EXPRESS_CONTROLLER: Stripe.AccountCreateParams.Controller = {
  fees: { payer: 'application' },
  losses: { payments: 'application' },
  requirement_collection: 'stripe',
  stripe_dashboard: { type: 'express' },
};

/**
 * The account as requested: Express dashboard through controller properties, only the `transfers` capability (a
 * destination charge without `on_behalf_of` needs nothing else), the partner's ids in metadata. A request recorded
 * before that (no `country`) is resent exactly as it was first sent, so its idempotency key still matches.
 */
export function accountCreateParams(request: NonNullable<PartnerConnectState['request']>, ids: PartnerIds): Stripe.AccountCreateParams {
  const metadata = { companyId: ids.companyId, partnerId: ids.partnerId };
  if (!request.country)
    return { type: 'express', email: request.email, metadata, capabilities: { card_payments: { requested: true }, transfers: { requested: true } } };
  return {
    controller: EXPRESS_CONTROLLER,
    country: request.country,
    email: request.email,
    metadata,
    capabilities: { transfers: { requested: true } },
    ...(request.serviceAgreement === 'recipient' ? { tos_acceptance: { service_agreement: 'recipient' } } : {}),
  };
}

/** What an Account object (webhook payload or retrieved) says about paying the partner. */
export function accountStatusOf(
  account: { id?: unknown; payouts_enabled?: unknown; charges_enabled?: unknown; details_submitted?: unknown; capabilities?: unknown },
  seen: { source: 'webhook' | 'retrieve'; stripeEventId: string | null; at: number },
): AccountStatus {
  const capabilities = (account.capabilities ?? {}) as Record<string, unknown>;
  return {
    accountId: String(account.id),
    payoutsEnabled: account.payouts_enabled === true,
    chargesEnabled: account.charges_enabled === true,
    detailsSubmitted: account.details_submitted === true,
    transfersActive: capabilities.transfers === 'active',
    source: seen.source,
    stripeEventId: seen.stripeEventId,
    stripeEventCreated: seen.at,
  };
}
