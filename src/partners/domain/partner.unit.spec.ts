import { describe, it, expect } from '@jest/globals';
import { decideUpdate, evolvePartner, initialPartner } from './partner.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({ streamId: 'p', type, data, version: 1, globalPosition: 1, checkpoint: '1/1', occurredAt: new Date(0), schemaVersion: 1, metadata: {} });

describe('partner decider', () => {
  const ids = { partnerId: 'pa_1', companyId: 'co_1' };
  const state = evolvePartner(initialPartner, recorded('PartnerCreated', { ...ids, name: 'Ann', email: 'ann@x.com', currency: 'eur', referralKey: 'k', commissionPlan: null, apiKeyHash: 'h' }));

  it('records changed fields only', () => {
    expect(decideUpdate(state, ids, { name: 'Ann', currency: 'usd' })).toEqual([{ type: 'PartnerUpdated', data: { ...ids, currency: 'usd' } }]);
  });

  it('can clear a plan override with null', () => {
    const withPlan = evolvePartner(state, recorded('PartnerUpdated', { ...ids, commissionPlan: { type: 'percentage', percent: 10 } }));
    expect(withPlan.commissionPlan).toEqual({ type: 'percentage', percent: 10 });
    expect(decideUpdate(withPlan, ids, { commissionPlan: null })).toEqual([{ type: 'PartnerUpdated', data: { ...ids, commissionPlan: null } }]);
  });

  it('decides nothing when nothing changes', () => {
    expect(decideUpdate(state, ids, { email: 'ann@x.com' })).toEqual([]);
  });
});
