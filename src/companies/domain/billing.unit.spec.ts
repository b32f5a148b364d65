import { describe, it, expect } from '@jest/globals';
import { decider, stateAfter } from '../../../libs/event-store/testing/decider-specification.js';
import {
  companyBilling,
  decideCustomerCreated,
  decideRefuseMethod,
  decideRequestCustomer,
  decideSaveCard,
  missingCardMessage,
  type CompanyBillingEvent,
  type CompanyBillingState,
} from './billing.js';
import { DEFAULT_SCHEDULE } from '../../shared-kernel/invoice-schedule.js';

const companyCreated: CompanyBillingEvent = {
  type: 'CompanyCreated',
  data: {
    companyId: 'co_1',
    name: 'Acme',
    currency: 'usd',
    invoiceSchedule: DEFAULT_SCHEDULE,
    commissionPlan: { type: 'percentage', percent: 20 },
    adminKeyHash: 'h',
  },
};
const customerCreated: CompanyBillingEvent = { type: 'CompanyPlatformCustomerCreated', data: { companyId: 'co_1', customerId: 'cus_1' } };
const given = (state: CompanyBillingState, ...events: CompanyBillingEvent[]) => stateAfter(companyBilling, events, state);
const card = { customerId: 'cus_1', paymentMethodId: 'pm_1', brand: 'visa', last4: '4242', setupIntentId: 'seti_1', stripeEventCreated: 100 };

describe('company card decider', () => {
  it('requests the platform customer once, named after the company', () => {
    decider(companyBilling)
      .given(companyCreated, { type: 'CompanySettingsChanged', data: { companyId: 'co_1', name: 'Acme Ltd' } })
      .when((s) => decideRequestCustomer(s, 'co_1'))
      .then([{ type: 'CompanyPlatformCustomerRequested', data: { companyId: 'co_1', idempotencyKey: 'pf-platform-customer-co_1', name: 'Acme Ltd' } }]);
    decider(companyBilling)
      .given(companyCreated, { type: 'CompanyPlatformCustomerRequested', data: { companyId: 'co_1', idempotencyKey: 'k', name: 'Acme Ltd' } })
      .when((s) => decideRequestCustomer(s, 'co_1'))
      .then([]);
  });

  it('records the customer with a claim, once; a claim of its own (a crashed attempt) is not claimed again', () => {
    const claim = { type: 'PlatformCustomerClaimed' as const, data: { companyId: 'co_1', customerId: 'cus_1' } };
    const created = { type: 'CompanyPlatformCustomerCreated' as const, data: { companyId: 'co_1', customerId: 'cus_1' } };
    decider(companyBilling)
      .given(companyCreated)
      .when((s) => decideCustomerCreated(s, 'co_1', 'cus_1', null))
      .then({ claim: [claim], events: [created] });
    decider(companyBilling)
      .given(companyCreated)
      .when((s) => decideCustomerCreated(s, 'co_1', 'cus_1', 'co_1'))
      .then({ claim: [], events: [created] });
    decider(companyBilling)
      .given(companyCreated, customerCreated)
      .when((s) => decideCustomerCreated(s, 'co_1', 'cus_2', null))
      .then({ claim: [], events: [] });
  });

  describe('saving the card from setup_intent.succeeded', () => {
    const withCustomer = given(companyBilling.initial, companyCreated, customerCreated);

    it('keeps only id, brand and last4', () => {
      expect(decideSaveCard(withCustomer, 'co_1', card)).toEqual([{ type: 'CompanyPaymentMethodSaved', data: { companyId: 'co_1', ...card } }]);
    });

    it('replaces the card with a newer one, ignores a repeat, an older delivery, another customer', () => {
      const saved = given(withCustomer, { type: 'CompanyPaymentMethodSaved', data: { companyId: 'co_1', ...card } });
      expect(decideSaveCard(saved, 'co_1', { ...card, paymentMethodId: 'pm_2', stripeEventCreated: 200 })).toHaveLength(1);
      expect(decideSaveCard(saved, 'co_1', card)).toEqual([]);
      expect(decideSaveCard(saved, 'co_1', { ...card, paymentMethodId: 'pm_0', stripeEventCreated: 50 })).toEqual([]);
      expect(decideSaveCard(saved, 'co_1', { ...card, customerId: 'cus_other', paymentMethodId: 'pm_3', stripeEventCreated: 300 })).toEqual([]);
    });
  });

  describe('a saved payment method that is not a card', () => {
    const withCustomer = given(companyBilling.initial, companyCreated, customerCreated);
    const bank = { customerId: 'cus_1', paymentMethodId: 'pm_bank', paymentMethodType: 'us_bank_account', setupIntentId: 'seti_2', stripeEventCreated: 100 };

    it('is recorded once as refused, and Pay’s missing-card message names it', () => {
      expect(missingCardMessage(withCustomer)).toMatch(/^The company has no payment card: add one/);
      const [refused] = decideRefuseMethod(withCustomer, 'co_1', bank);
      expect(refused).toEqual({ type: 'CompanyPaymentMethodRefused', data: { companyId: 'co_1', ...bank } });
      const state = given(withCustomer, refused!);
      expect(state.card).toBeNull();
      expect(missingCardMessage(state)).toBe(
        'The company has no payment card: the payment method it saved (pm_bank) is a us_bank_account, which Pay cannot charge off-session; add one in Payment Settings (POST /v1/company/payment-method/setup-intent)',
      );
      expect(decideRefuseMethod(state, 'co_1', bank)).toEqual([]);
      expect(decideRefuseMethod(state, 'co_1', { ...bank, paymentMethodId: 'pm_older', stripeEventCreated: 50 })).toEqual([]);
      expect(decideRefuseMethod(withCustomer, 'co_1', { ...bank, customerId: 'cus_other' })).toEqual([]);
    });
  });
});
