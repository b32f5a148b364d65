/** The partners module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import {
  evolvePartner,
  evolvePromotionCodeOwner,
  initialPartner,
  normalizePromotionCode,
  partnerStream,
  promotionCodeStream,
  type PartnerState,
} from './domain/partner.js';
import type { PartnerBankDetailsSet } from './domain/bank-details.js';
import { evolvePartnerConnect, initialPartnerConnect, stripeAccountStream, type PartnerConnectState, type StripeAccountClaimed } from './domain/connect.js';

export { PartnersModule } from './partners.module.js';
export { PartnersQuery, type PartnerView } from './queries/partners/partners.query.js';
export { partnersExport, type PartnerExportFilter } from './queries/partners/partners.export.js';
export {
  evolvePartner,
  initialPartner,
  partnerStream,
  referralKeyStream,
  type PartnerCreated,
  type PartnerEvent,
  type PartnerUpdated,
} from './domain/partner.js';
export { PartnerResponse } from './partner.response.js';
export { PartnerPromotionCodesMigration, PartnersMigration } from './partners.migration.js';
export { partnersOpenApi } from './partners.openapi.js';
export { normalizePromotionCode };
export { SetBankDetails } from './commands/set-bank-details/set-bank-details.handler.js';
export { RecordLoginLinkIssued, loginLinkRefusal } from './commands/partner-access/login-link-issued.handler.js';
export type { PartnerLoginLinkIssued, PartnerState } from './domain/partner.js';
export type { BankDetails, PartnerBankDetailsSet } from './domain/bank-details.js';
/** The partner's Stripe Connect account: requested, recorded and its status, by the payouts module through these. */
export { RequestStripeAccount, RecordStripeAccount, RecordStripeAccountStatus } from './commands/connect-account/connect-account.handlers.js';
export {
  canReceivePayouts,
  checkAccountCountry,
  decideAccountCreated,
  decideAccountUpdated,
  decideRequestAccount,
  evolvePartnerConnect,
  initialPartnerConnect,
  stripeAccountStream,
  type AccountLocation,
  type AccountStatus,
  type ConnectEvent,
  type PartnerConnectState,
  type PartnerPayoutsStatusChanged,
  type PartnerStripeAccountCreated,
  type PartnerStripeAccountRequested,
  type ServiceAgreement,
  type StripeAccountClaimed,
} from './domain/connect.js';
/** The read model of `PartnersQuery`, to wait for before reading what an event changed. */
export const PARTNERS_PROJECTION = 'partners';

/** The partner a promotion code (or promotion code id) of the company belongs to now, read from its guard stream. */
export async function promotionCodeOwner(store: EventStore, companyId: string, code: string): Promise<string | null> {
  const events = await store.readStream(promotionCodeStream(companyId, normalizePromotionCode(code)));
  return events.reduce(evolvePromotionCodeOwner, null as string | null);
}

/** The partner's bank details as last set (encrypted, and masked), read from its stream; null when none were. */
export async function partnerBankDetails(store: EventStore, companyId: string, partnerId: string): Promise<PartnerBankDetailsSet['data'] | null> {
  const events = await store.readStream(partnerStream(companyId, partnerId));
  const last = events.filter((e) => e.type === 'PartnerBankDetailsSet').pop();
  return last ? (last.data as PartnerBankDetailsSet['data']) : null;
}

/** The partner's Connect state now, read from its stream. */
export async function partnerConnect(store: EventStore, companyId: string, partnerId: string): Promise<PartnerConnectState> {
  return (await store.readStream(partnerStream(companyId, partnerId))).reduce(evolvePartnerConnect, initialPartnerConnect);
}

/** The partner holding a Stripe account, from the account's claim; undefined when none was recorded. */
export async function stripeAccountHolder(store: EventStore, accountId: string): Promise<StripeAccountClaimed['data'] | undefined> {
  const [first] = await store.readStream(stripeAccountStream(accountId));
  return first?.data as StripeAccountClaimed['data'] | undefined;
}

/** The partner's state now, read from its stream. */
export async function partnerState(store: EventStore, companyId: string, partnerId: string): Promise<PartnerState> {
  return (await store.readStream(partnerStream(companyId, partnerId))).reduce(evolvePartner, initialPartner);
}
