import type { CommissionPlan } from '../../shared-kernel/commission-plan.js';
import type { Event } from '../../../libs/event-store/event-store.port.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

export const partnerStream = (companyId: string, partnerId: string) => `partner-${companyId}-${partnerId}`;
/** Existence of this stream is what makes a referral key unique within a company. */
export const referralKeyStream = (companyId: string, key: string) => `referralkey-${companyId}-${streamKey(key)}`;
/**
 * Referral links (`/r/{referralKey}`) name no company, so new keys are also claimed across companies: a key
 * drawn twice (48 random bits) fails this `no_stream` append and another is drawn.
 */
export const referralLinkStream = (key: string) => `referrallink-${streamKey(key)}`;
/** The partner holding a promotion code (or promotion code id) within a company: claimed at the version read. */
export const promotionCodeStream = (companyId: string, code: string) => `promotioncode-${companyId}-${streamKey(code)}`;

export const PROMOTION_CODE_ID = /^promo_[A-Za-z0-9]{1,100}$/;
/** Stripe's customer-facing codes: letters, digits and dashes (we also take underscores). */
export const PROMOTION_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const MAX_PROMOTION_CODES = 50;

/** Ids (`promo_…`) as they are; customer-facing codes upper-cased, as Stripe matches them without regard to case. */
export const normalizePromotionCode = (raw: string): string => (PROMOTION_CODE_ID.test(raw) ? raw : raw.toUpperCase());

export type PartnerCreated = {
  type: 'PartnerCreated';
  data: {
    partnerId: string;
    companyId: string;
    name: string;
    email: string;
    currency: string;
    referralKey: string;
    commissionPlan: CommissionPlan | null;
    apiKeyHash: string;
  };
};
export type PartnerUpdated = {
  type: 'PartnerUpdated';
  data: {
    partnerId: string;
    companyId: string;
    name?: string;
    email?: string;
    currency?: string;
    commissionPlan?: CommissionPlan | null;
    promotionCodes?: string[];
  };
};
export type PartnerApiKeyRotated = { type: 'PartnerApiKeyRotated'; data: { partnerId: string; companyId: string; apiKeyHash: string } };
/** A deactivated partner has no portal access and earns no new commission; its history stays. */
export type PartnerDeactivated = { type: 'PartnerDeactivated'; data: { partnerId: string; companyId: string } };
export type PartnerReactivated = { type: 'PartnerReactivated'; data: { partnerId: string; companyId: string } };
/** The audit fact of a portal login link (the sessions module issues it; the token itself is never recorded). */
export type PartnerLoginLinkIssued = {
  type: 'PartnerLoginLinkIssued';
  data: { companyId: string; partnerId: string; linkId: string; expiresAt: string };
};
export type PartnerEvent = PartnerCreated | PartnerUpdated | PartnerApiKeyRotated | PartnerDeactivated | PartnerReactivated;
export type ReferralLinkClaimed = { type: 'ReferralLinkClaimed'; data: { referralKey: string; companyId: string; partnerId: string } };
export type PromotionCodeClaimed = { type: 'PromotionCodeClaimed'; data: { companyId: string; code: string; partnerId: string } };
export type PromotionCodeReleased = { type: 'PromotionCodeReleased'; data: { companyId: string; code: string; partnerId: string } };
export type PromotionCodeEvent = PromotionCodeClaimed | PromotionCodeReleased;

const isPromotionCodeEvent = isEventOf<PromotionCodeEvent>()('PromotionCodeClaimed', 'PromotionCodeReleased');

/** Who holds a promotion code now (the last claim not released). */
export function evolvePromotionCodeOwner(owner: string | null, e: Event): string | null {
  if (!isPromotionCodeEvent(e)) return owner;
  if (e.type === 'PromotionCodeClaimed') return e.data.partnerId;
  if (e.type === 'PromotionCodeReleased') return owner === e.data.partnerId ? null : owner;
  return owner;
}

export interface PartnerState {
  exists: boolean;
  name: string;
  email: string;
  currency: string;
  commissionPlan: CommissionPlan | null;
  active: boolean;
  promotionCodes: string[];
}

export const initialPartner: PartnerState = { exists: false, name: '', email: '', currency: 'usd', commissionPlan: null, active: true, promotionCodes: [] };

const isPartnerEvent = isEventOf<PartnerEvent>()('PartnerCreated', 'PartnerUpdated', 'PartnerApiKeyRotated', 'PartnerDeactivated', 'PartnerReactivated');

export function evolvePartner(state: PartnerState, e: Event): PartnerState {
  if (!isPartnerEvent(e)) return state;
  switch (e.type) {
    case 'PartnerCreated':
      return {
        ...initialPartner,
        exists: true,
        name: e.data.name,
        email: e.data.email,
        currency: e.data.currency,
        commissionPlan: e.data.commissionPlan,
        active: true,
      };
    case 'PartnerDeactivated':
      return { ...state, active: false };
    case 'PartnerReactivated':
      return { ...state, active: true };
    case 'PartnerUpdated': {
      const { partnerId: _p, companyId: _c, ...changes } = e.data;
      return { ...state, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    }
    default:
      return state;
  }
}

export function decideUpdate(
  state: PartnerState,
  ids: { partnerId: string; companyId: string },
  patch: Omit<PartnerUpdated['data'], 'partnerId' | 'companyId'>,
): PartnerUpdated[] {
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(state[k as keyof PartnerState])),
  );
  return Object.keys(changed).length ? [{ type: 'PartnerUpdated', data: { ...ids, ...changed } }] : [];
}

/** Deactivating a deactivated partner (or reactivating an active one) changes nothing. */
export function decideActive(state: PartnerState, ids: { partnerId: string; companyId: string }, active: boolean): (PartnerDeactivated | PartnerReactivated)[] {
  if (state.active === active) return [];
  return [{ type: active ? 'PartnerReactivated' : 'PartnerDeactivated', data: ids }];
}

export type CodeOwners = Map<string, { owner: string | null; version: number }>;
export type PromotionCodesDecision =
  { taken: false; also: { streamId: string; events: PromotionCodeEvent[]; expectedVersion: number }[] } | { taken: true; code: string; holder: string };

/**
 * The guard-stream appends that move a partner from its codes to `wanted` (normalized): each new code is claimed
 * at the version read (so two partners can never both get it), each dropped one released.
 */
export function decidePromotionCodes(
  state: PartnerState,
  ids: { partnerId: string; companyId: string },
  wanted: string[],
  owners: CodeOwners,
): PromotionCodesDecision {
  const also: { streamId: string; events: PromotionCodeEvent[]; expectedVersion: number }[] = [];
  for (const code of wanted.filter((c) => !state.promotionCodes.includes(c))) {
    const o = owners.get(code) ?? { owner: null, version: 0 };
    if (o.owner && o.owner !== ids.partnerId) return { taken: true, code, holder: o.owner };
    if (o.owner !== ids.partnerId)
      also.push({
        streamId: promotionCodeStream(ids.companyId, code),
        events: [{ type: 'PromotionCodeClaimed', data: { companyId: ids.companyId, code, partnerId: ids.partnerId } }],
        expectedVersion: o.version,
      });
  }
  for (const code of state.promotionCodes.filter((c) => !wanted.includes(c))) {
    const o = owners.get(code) ?? { owner: null, version: 0 };
    if (o.owner === ids.partnerId)
      also.push({
        streamId: promotionCodeStream(ids.companyId, code),
        events: [{ type: 'PromotionCodeReleased', data: { companyId: ids.companyId, code, partnerId: ids.partnerId } }],
        expectedVersion: o.version,
      });
  }
  return { taken: false, also };
}
