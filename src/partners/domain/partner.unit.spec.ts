import { describe, it, expect } from '@jest/globals';
import { decidePromotionCodes, decideUpdate, evolvePartner, evolvePromotionCodeOwner, initialPartner, normalizePromotionCode } from './partner.js';
import { recorded as storedEvent } from '../../../libs/event-store/testing/recorded.js';

const recorded = (type: string, data: Record<string, unknown>) => storedEvent({ type, data });

describe('partner decider', () => {
  const ids = { partnerId: 'pa_1', companyId: 'co_1' };
  const state = evolvePartner(
    initialPartner,
    recorded('PartnerCreated', { ...ids, name: 'Ann', email: 'ann@x.com', currency: 'eur', referralKey: 'k', commissionPlan: null, apiKeyHash: 'h' }),
  );

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

  describe('promotion codes', () => {
    const owners = (entries: [string, string | null, number][]) => new Map(entries.map(([code, owner, version]) => [code, { owner, version }]));

    it('normalizes codes to upper case and keeps promotion code ids as they are', () => {
      expect(normalizePromotionCode('jane20')).toBe('JANE20');
      expect(normalizePromotionCode('promo_1AbC')).toBe('promo_1AbC');
    });

    it('claims new codes at the version read and releases dropped ones', () => {
      const mine = evolvePartner(state, recorded('PartnerUpdated', { ...ids, promotionCodes: ['OLD', 'KEEP'] }));
      const d = decidePromotionCodes(
        mine,
        ids,
        ['KEEP', 'NEW'],
        owners([
          ['OLD', 'pa_1', 1],
          ['KEEP', 'pa_1', 1],
          ['NEW', null, 2],
        ]),
      );
      expect(d).toEqual({
        taken: false,
        also: [
          {
            streamId: 'promotioncode-co_1-NEW',
            events: [{ type: 'PromotionCodeClaimed', data: { companyId: 'co_1', code: 'NEW', partnerId: 'pa_1' } }],
            expectedVersion: 2,
          },
          {
            streamId: 'promotioncode-co_1-OLD',
            events: [{ type: 'PromotionCodeReleased', data: { companyId: 'co_1', code: 'OLD', partnerId: 'pa_1' } }],
            expectedVersion: 1,
          },
        ],
      });
    });

    it('refuses a code another partner holds, and a released code is free again', () => {
      expect(decidePromotionCodes(state, ids, ['TAKEN'], owners([['TAKEN', 'pa_2', 1]]))).toEqual({ taken: true, code: 'TAKEN', holder: 'pa_2' });
      const claimed = evolvePromotionCodeOwner(null, recorded('PromotionCodeClaimed', { companyId: 'co_1', code: 'X', partnerId: 'pa_2' }));
      expect(claimed).toBe('pa_2');
      expect(evolvePromotionCodeOwner(claimed, recorded('PromotionCodeReleased', { companyId: 'co_1', code: 'X', partnerId: 'pa_2' }))).toBeNull();
    });
  });
});
