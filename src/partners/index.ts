/** The partners module's public face: what other modules may use (never its domain/, commands/ or queries/ directly). */
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { evolvePromotionCodeOwner, normalizePromotionCode, partnerStream, promotionCodeStream } from './domain/partner.js';
import type { PartnerBankDetailsSet } from './domain/bank-details.js';

export { PartnersModule } from './partners.module.js';
export { PartnersQuery, type PartnerView } from './queries/partners/partners.query.js';
export { partnersExport, type PartnerExportFilter } from './queries/partners/partners.export.js';
export { partnerStream, referralKeyStream, type PartnerCreated, type PartnerUpdated } from './domain/partner.js';
export { normalizePromotionCode };
export { SetBankDetails } from './commands/set-bank-details/set-bank-details.handler.js';
export type { BankDetails, PartnerBankDetailsSet } from './domain/bank-details.js';
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
