import { describe, it, expect } from '@jest/globals';
import { DomainError } from '../../../libs/http/domain-error.js';
import { accountCreateParams, accountStatusOf } from './connect.js';
import {
  canReceivePayouts,
  checkAccountCountry,
  decideAccountCreated,
  decideAccountUpdated,
  decideRequestAccount,
  evolvePartnerConnect,
  initialPartnerConnect,
  stripeAccountStream,
} from '../../partners/index.js';
import { given } from './testing/test-events.js';

const ids = { partnerId: 'pa_1', companyId: 'co_1' };
const created = ['PartnerCreated', { ...ids, name: 'Ann', email: 'ann@x.com', currency: 'eur', referralKey: 'k', commissionPlan: null, apiKeyHash: 'h' }] as [
  string,
  Record<string, unknown>,
];
const status = {
  accountId: 'acct_1',
  payoutsEnabled: true,
  chargesEnabled: true,
  detailsSubmitted: true,
  transfersActive: true,
  source: 'webhook' as const,
  stripeEventId: 'evt_1',
  stripeEventCreated: 100,
};
const home = { country: 'US', platformCountry: 'US', explicit: false };

describe('partner Connect decider', () => {
  it('requests an account once, with a key derived from the partner, the current email and the country', () => {
    const state = given(initialPartnerConnect, evolvePartnerConnect, created, ['PartnerUpdated', { ...ids, email: 'new@x.com' }]);
    expect(decideRequestAccount(state, ids, home)).toEqual([
      {
        type: 'PartnerStripeAccountRequested',
        data: { ...ids, idempotencyKey: 'pf-connect-account-co_1-pa_1', email: 'new@x.com', country: 'US', serviceAgreement: 'full' },
      },
    ]);
    const requested = given(state, evolvePartnerConnect, [
      'PartnerStripeAccountRequested',
      { ...ids, idempotencyKey: 'k', email: 'new@x.com', country: 'US', serviceAgreement: 'full' },
    ]);
    expect(decideRequestAccount(requested, ids, home)).toEqual([]);
  });

  it('a partner in another country than the platform gets the recipient service agreement', () => {
    const state = given(initialPartnerConnect, evolvePartnerConnect, created);
    const [requested] = decideRequestAccount(state, ids, { country: 'DE', platformCountry: 'US', explicit: true });
    expect(requested!.data).toMatchObject({ country: 'DE', serviceAgreement: 'recipient' });
  });

  it('refuses another country once the account is requested (409), accepts the same one or none', () => {
    const requested = given(initialPartnerConnect, evolvePartnerConnect, created, [
      'PartnerStripeAccountRequested',
      { ...ids, idempotencyKey: 'k', email: 'a@x.com', country: 'DE', serviceAgreement: 'recipient' },
    ]);
    const e = (() => {
      try {
        checkAccountCountry(requested, { country: 'FR', platformCountry: 'US', explicit: true });
      } catch (err) {
        return err as DomainError;
      }
      throw new Error('expected a conflict');
    })();
    expect([e.status, e.code, e.extra.accountCountry]).toEqual([409, 'stripe_account_country_fixed', 'DE']);
    expect(() => checkAccountCountry(requested, { country: 'DE', platformCountry: 'US', explicit: true })).not.toThrow();
    expect(() => checkAccountCountry(requested, home)).not.toThrow();
  });

  it('creates the account with Express controller properties and only transfers; recipient when cross-border', () => {
    expect(accountCreateParams({ idempotencyKey: 'k', email: 'a@x.com', country: 'US', serviceAgreement: 'full' }, ids)).toEqual({
      controller: {
        fees: { payer: 'application' },
        losses: { payments: 'application' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'express' },
      },
      country: 'US',
      email: 'a@x.com',
      metadata: { partnerId: 'pa_1', companyId: 'co_1' },
      capabilities: { transfers: { requested: true } },
    });
    expect(accountCreateParams({ idempotencyKey: 'k', email: 'a@x.com', country: 'DE', serviceAgreement: 'recipient' }, ids)).toMatchObject({
      country: 'DE',
      tos_acceptance: { service_agreement: 'recipient' },
    });
  });

  it('resends a request recorded before controller properties exactly as it was first sent', () => {
    const legacy = given(initialPartnerConnect, evolvePartnerConnect, created, [
      'PartnerStripeAccountRequested',
      { ...ids, idempotencyKey: 'k', email: 'a@x.com' },
    ]);
    expect(accountCreateParams(legacy.request!, ids)).toEqual({
      type: 'express',
      email: 'a@x.com',
      metadata: { partnerId: 'pa_1', companyId: 'co_1' },
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    });
  });

  it('records the account with a claim on the account stream, and only the first one', () => {
    const state = given(initialPartnerConnect, evolvePartnerConnect, created);
    const d = decideAccountCreated(state, ids, 'acct_1');
    expect(d.events).toEqual([{ type: 'PartnerStripeAccountCreated', data: { ...ids, accountId: 'acct_1' } }]);
    expect(d.also).toEqual([
      {
        streamId: stripeAccountStream('acct_1'),
        events: [{ type: 'StripeAccountClaimed', data: { ...ids, accountId: 'acct_1' } }],
        expectedVersion: 'no_stream',
      },
    ]);
    const withAccount = given(state, evolvePartnerConnect, ['PartnerStripeAccountCreated', { ...ids, accountId: 'acct_1' }]);
    expect(decideAccountCreated(withAccount, ids, 'acct_2')).toEqual({ events: [], also: [] });
  });

  describe('account status (account.updated, or read from Stripe)', () => {
    const onboarded = given(initialPartnerConnect, evolvePartnerConnect, created, ['PartnerStripeAccountCreated', { ...ids, accountId: 'acct_1' }]);

    it('reads payouts, charges, details and the transfers capability from an Account', () => {
      const account = { id: 'acct_1', payouts_enabled: true, charges_enabled: false, details_submitted: true, capabilities: { transfers: 'pending' } };
      expect(accountStatusOf(account, { source: 'retrieve', stripeEventId: null, at: 7 })).toEqual({
        accountId: 'acct_1',
        payoutsEnabled: true,
        chargesEnabled: false,
        detailsSubmitted: true,
        transfersActive: false,
        source: 'retrieve',
        stripeEventId: null,
        stripeEventCreated: 7,
      });
    });

    it('records payouts enabled with transfers active: the partner can be paid', () => {
      expect(decideAccountUpdated(onboarded, ids, status)).toEqual([{ type: 'PartnerPayoutsStatusChanged', data: { ...ids, ...status } }]);
      expect(canReceivePayouts(given(onboarded, evolvePartnerConnect, ['PartnerPayoutsStatusChanged', { ...ids, ...status }]))).toBe(true);
    });

    it('payouts enabled without the transfers capability active is not enough', () => {
      const noTransfers = given(onboarded, evolvePartnerConnect, ['PartnerPayoutsStatusChanged', { ...ids, ...status, transfersActive: false }]);
      expect(canReceivePayouts(noTransfers)).toBe(false);
      expect(decideAccountUpdated(noTransfers, ids, { ...status, stripeEventCreated: 200 })).toHaveLength(1);
    });

    it('an event recorded before the capability was read leaves it unknown, so the account is asked about again', () => {
      const old = given(onboarded, evolvePartnerConnect, [
        'PartnerPayoutsStatusChanged',
        { ...ids, accountId: 'acct_1', payoutsEnabled: true, chargesEnabled: true, detailsSubmitted: true, stripeEventId: 'evt_0', stripeEventCreated: 50 },
      ]);
      expect(old.status?.transfersActive).toBeNull();
      expect(canReceivePayouts(old)).toBe(false);
      expect(decideAccountUpdated(old, ids, status)).toHaveLength(1);
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
