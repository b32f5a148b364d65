import { describe, it, expect } from '@jest/globals';
import { recorded } from '../../../libs/event-store/testing/recorded.js';
import { checkoutPaymentStream, decideCheckoutClaim, evolveCheckoutPayment, initialCheckoutPayment, type CheckoutPaymentEvent } from './checkout-payment.js';

const claim = { companyId: 'co', paymentIntentId: 'pi_1', sessionId: 'cs_1', leadId: 'ld_1', email: 'guest@x.com' };

describe('customer-less checkout: the lead of a payment intent', () => {
  it('claims an unclaimed intent at the version read', () => {
    const d = decideCheckoutClaim({ state: initialCheckoutPayment, version: 0 }, claim);
    expect(d).toEqual({
      taken: false,
      also: [{ streamId: checkoutPaymentStream('co', 'pi_1'), events: [{ type: 'CheckoutPaymentClaimed', data: claim }], expectedVersion: 0 }],
    });
  });

  it('a redelivered session claims nothing new; another lead finds it taken', () => {
    const state = [
      recorded<CheckoutPaymentEvent>({ type: 'CheckoutPaymentClaimed', data: claim }),
      recorded<CheckoutPaymentEvent>({ type: 'CheckoutPaymentRecorded', data: { companyId: 'co', paymentIntentId: 'pi_1', paymentId: 'pay_1' } }),
    ].reduce(evolveCheckoutPayment, initialCheckoutPayment);
    expect(state).toEqual({ claim: { leadId: 'ld_1', sessionId: 'cs_1' }, paymentIds: ['pay_1'] });
    expect(decideCheckoutClaim({ state, version: 2 }, claim)).toEqual({ taken: false, also: [] });
    expect(decideCheckoutClaim({ state, version: 2 }, { ...claim, sessionId: 'cs_2', leadId: 'ld_2' })).toEqual({ taken: true, holder: 'ld_1' });
  });
});
