import { describe, it, expect } from '@jest/globals';
import { decideCustomerCreated, decideRefuseMethod, decideRequestCustomer, decideSaveCard, evolveCompanyBilling, initialCompanyBilling, missingCardMessage, platformCustomerStream } from './company-card.js';
import { given } from './test-events.js';

const companyCreated = ['CompanyCreated', { companyId: 'co_1', name: 'Acme', currency: 'usd' }] as [string, Record<string, unknown>];
const card = { customerId: 'cus_1', paymentMethodId: 'pm_1', brand: 'visa', last4: '4242', setupIntentId: 'seti_1', stripeEventCreated: 100 };

describe('company card decider', () => {
  it('requests the platform customer once, named after the company', () => {
    const state = given(initialCompanyBilling, evolveCompanyBilling, companyCreated, ['CompanySettingsChanged', { companyId: 'co_1', name: 'Acme Ltd' }]);
    expect(decideRequestCustomer(state, 'co_1')).toEqual([{ type: 'CompanyPlatformCustomerRequested', data: { companyId: 'co_1', idempotencyKey: 'pf-platform-customer-co_1', name: 'Acme Ltd' } }]);
    const requested = given(state, evolveCompanyBilling, ['CompanyPlatformCustomerRequested', { companyId: 'co_1', idempotencyKey: 'k', name: 'Acme Ltd' }]);
    expect(decideRequestCustomer(requested, 'co_1')).toEqual([]);
  });

  it('records the customer with a claim, once', () => {
    const state = given(initialCompanyBilling, evolveCompanyBilling, companyCreated);
    const d = decideCustomerCreated(state, 'co_1', 'cus_1');
    expect(d.also[0]).toMatchObject({ streamId: platformCustomerStream('cus_1'), expectedVersion: 'no_stream' });
    const withCustomer = given(state, evolveCompanyBilling, ['CompanyPlatformCustomerCreated', { companyId: 'co_1', customerId: 'cus_1' }]);
    expect(decideCustomerCreated(withCustomer, 'co_1', 'cus_2').events).toEqual([]);
  });

  describe('saving the card from setup_intent.succeeded', () => {
    const withCustomer = given(initialCompanyBilling, evolveCompanyBilling, companyCreated, ['CompanyPlatformCustomerCreated', { companyId: 'co_1', customerId: 'cus_1' }]);

    it('keeps only id, brand and last4', () => {
      expect(decideSaveCard(withCustomer, 'co_1', card)).toEqual([{ type: 'CompanyPaymentMethodSaved', data: { companyId: 'co_1', ...card } }]);
    });

    it('replaces the card with a newer one, ignores a repeat, an older delivery, another customer', () => {
      const saved = given(withCustomer, evolveCompanyBilling, ['CompanyPaymentMethodSaved', { companyId: 'co_1', ...card }]);
      expect(decideSaveCard(saved, 'co_1', { ...card, paymentMethodId: 'pm_2', stripeEventCreated: 200 })).toHaveLength(1);
      expect(decideSaveCard(saved, 'co_1', card)).toEqual([]);
      expect(decideSaveCard(saved, 'co_1', { ...card, paymentMethodId: 'pm_0', stripeEventCreated: 50 })).toEqual([]);
      expect(decideSaveCard(saved, 'co_1', { ...card, customerId: 'cus_other', paymentMethodId: 'pm_3', stripeEventCreated: 300 })).toEqual([]);
    });
  });

  describe('a saved payment method that is not a card', () => {
    const withCustomer = given(initialCompanyBilling, evolveCompanyBilling, companyCreated, ['CompanyPlatformCustomerCreated', { companyId: 'co_1', customerId: 'cus_1' }]);
    const bank = { customerId: 'cus_1', paymentMethodId: 'pm_bank', paymentMethodType: 'us_bank_account', setupIntentId: 'seti_2', stripeEventCreated: 100 };

    it('is recorded once as refused, and Pay’s missing-card message names it', () => {
      expect(missingCardMessage(withCustomer)).toMatch(/^The company has no payment card: add one/);
      const [refused] = decideRefuseMethod(withCustomer, 'co_1', bank);
      expect(refused).toEqual({ type: 'CompanyPaymentMethodRefused', data: { companyId: 'co_1', ...bank } });
      const state = given(withCustomer, evolveCompanyBilling, [refused!.type, refused!.data]);
      expect(state.card).toBeNull();
      expect(missingCardMessage(state)).toBe('The company has no payment card: the payment method it saved (pm_bank) is a us_bank_account, which Pay cannot charge off-session; add one in Payment Settings (POST /v1/company/payment-method/setup-intent)');
      expect(decideRefuseMethod(state, 'co_1', bank)).toEqual([]);
      expect(decideRefuseMethod(state, 'co_1', { ...bank, paymentMethodId: 'pm_older', stripeEventCreated: 50 })).toEqual([]);
      expect(decideRefuseMethod(withCustomer, 'co_1', { ...bank, customerId: 'cus_other' })).toEqual([]);
    });
  });
});
