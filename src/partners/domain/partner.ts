import type { CommissionPlan } from '../../commissions/domain/commission-plan.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { streamKey } from '../../../libs/event-store/stream-name.js';

export const partnerStream = (companyId: string, partnerId: string) => `partner-${companyId}-${partnerId}`;
/** Existence of this stream is what makes a referral key unique within a company. */
export const referralKeyStream = (companyId: string, key: string) => `referralkey-${companyId}-${streamKey(key)}`;

export type PartnerCreated = {
  type: 'PartnerCreated';
  data: { partnerId: string; companyId: string; name: string; email: string; currency: string; referralKey: string; commissionPlan: CommissionPlan | null; apiKeyHash: string };
};
export type PartnerUpdated = {
  type: 'PartnerUpdated';
  data: { partnerId: string; companyId: string; name?: string; email?: string; currency?: string; commissionPlan?: CommissionPlan | null };
};
export type PartnerApiKeyRotated = { type: 'PartnerApiKeyRotated'; data: { partnerId: string; companyId: string; apiKeyHash: string } };
/** A deactivated partner has no portal access and earns no new commission; its history stays. */
export type PartnerDeactivated = { type: 'PartnerDeactivated'; data: { partnerId: string; companyId: string } };
export type PartnerReactivated = { type: 'PartnerReactivated'; data: { partnerId: string; companyId: string } };
export type PartnerEvent = PartnerCreated | PartnerUpdated | PartnerApiKeyRotated | PartnerDeactivated | PartnerReactivated;

export interface PartnerState {
  exists: boolean;
  name: string;
  email: string;
  currency: string;
  commissionPlan: CommissionPlan | null;
  active: boolean;
}

export const initialPartner: PartnerState = { exists: false, name: '', email: '', currency: 'usd', commissionPlan: null, active: true };

export function evolvePartner(state: PartnerState, event: RecordedEvent): PartnerState {
  const e = event as unknown as PartnerEvent;
  switch (e.type) {
    case 'PartnerCreated':
      return { exists: true, name: e.data.name, email: e.data.email, currency: e.data.currency, commissionPlan: e.data.commissionPlan, active: true };
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

export function decideUpdate(state: PartnerState, ids: { partnerId: string; companyId: string }, patch: Omit<PartnerUpdated['data'], 'partnerId' | 'companyId'>): PartnerUpdated[] {
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
