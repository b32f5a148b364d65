import { describe, it, expect } from '@jest/globals';
import { decideAccountCreated, decideAccountUpdated, decideRequestAccount, evolvePartnerConnect, initialPartnerConnect, stripeAccountStream } from './connect.js';
import { given } from './test-events.js';

const ids = { partnerId: 'pa_1', companyId: 'co_1' };
const created = ['PartnerCreated', { ...ids, name: 'Ann', email: 'ann@x.com', currency: 'eur', referralKey: 'k', commissionPlan: null, apiKeyHash: 'h' }] as [string, Record<string, unknown>];
const status = { accountId: 'acct_1', payoutsEnabled: true, chargesEnabled: true, detailsSubmitted: true, stripeEventId: 'evt_1', stripeEventCreated: 100 };

describe('partner Connect decider', () => {
  it('requests an account once, with a key derived from the partner and the current email', () => {
    const state = given(initialPartnerConnect, evolvePartnerConnect, created, ['PartnerUpdated', { ...ids, email: 'new@x.com' }]);
    expect(decideRequestAccount(state, ids)).toEqual([{ type: 'PartnerStripeAccountRequested', data: { ...ids, idempotencyKey: 'pf-connect-account-co_1-pa_1', email: 'new@x.com' } }]);
    const requested = given(state, evolvePartnerConnect, ['PartnerStripeAccountRequested', { ...ids, idempotencyKey: 'k', email: 'new@x.com' }]);
    expect(decideRequestAccount(requested, ids)).toEqual([]);
  });

  it('records the account with a claim on the account stream, and only the first one', () => {
    const state = given(initialPartnerConnect, evolvePartnerConnect, created);
    const d = decideAccountCreated(state, ids, 'acct_1');
    expect(d.events).toEqual([{ type: 'PartnerStripeAccountCreated', data: { ...ids, accountId: 'acct_1' } }]);
    expect(d.also).toEqual([{ streamId: stripeAccountStream('acct_1'), events: [{ type: 'StripeAccountClaimed', data: { ...ids, accountId: 'acct_1' } }], expectedVersion: 'no_stream' }]);
    const withAccount = given(state, evolvePartnerConnect, ['PartnerStripeAccountCreated', { ...ids, accountId: 'acct_1' }]);
    expect(decideAccountCreated(withAccount, ids, 'acct_2')).toEqual({ events: [], also: [] });
  });

  describe('account.updated', () => {
    const onboarded = given(initialPartnerConnect, evolvePartnerConnect, created, ['PartnerStripeAccountCreated', { ...ids, accountId: 'acct_1' }]);

    it('records payouts enabled', () => {
      expect(decideAccountUpdated(onboarded, ids, status)).toEqual([{ type: 'PartnerPayoutsStatusChanged', data: { ...ids, ...status } }]);
    });

    it('ignores a repeat, an older delivery and another account', () => {
      const enabled = given(onboarded, evolvePartnerConnect, ['PartnerPayoutsStatusChanged', { ...ids, ...status }]);
      expect(decideAccountUpdated(enabled, ids, { ...status, stripeEventId: 'evt_2', stripeEventCreated: 101 })).toEqual([]);
      expect(decideAccountUpdated(enabled, ids, { ...status, payoutsEnabled: false, stripeEventCreated: 99 })).toEqual([]);
      expect(decideAccountUpdated(onboarded, ids, { ...status, accountId: 'acct_other' })).toEqual([]);
    });

    it('records payouts being disabled later', () => {
      const enabled = given(onboarded, evolvePartnerConnect, ['PartnerPayoutsStatusChanged', { ...ids, ...status }]);
      const [e] = decideAccountUpdated(enabled, ids, { ...status, payoutsEnabled: false, stripeEventCreated: 200 });
      expect(e?.data.payoutsEnabled).toBe(false);
    });
  });
});
