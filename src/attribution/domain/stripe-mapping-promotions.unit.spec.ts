import { describe, it, expect } from '@jest/globals';
import { builders, discountObject, PRE_BASIL_API_VERSION } from '../../../test/stripe-emulator/index.js';
import { checkoutLinkFromStripeEvent, paymentFromStripeEvent, promotionReferencesOf } from './stripe-mapping.js';

const asObj = (e: unknown) => e as Record<string, unknown>;

/** Promotion codes in the shapes Stripe sends them, by API version (SPEC §10). */
describe('promotion codes in Stripe payloads', () => {
  const legacyDiscount = discountObject({ id: 'di_old', promotionCode: 'promo_OLD', coupon: 'SUMMER', legacy: true });

  it('before 2025-03-31 an invoice embeds its discount with the promotion code id', () => {
    const m = paymentFromStripeEvent(
      'co_1',
      asObj(builders.invoicePaid({ apiVersion: PRE_BASIL_API_VERSION, discounts: [{ discount: legacyDiscount, amount: 500 }] })),
    );
    expect(m).toMatchObject({ kind: 'payment', facts: { promotionCodes: ['promo_OLD'] } });
    expect(m.kind === 'payment' && m.discountIds).toBeUndefined();
  });

  it('from 2025-03-31 on an invoice lists Discount ids only: they are left for the API to expand', () => {
    const event = builders.invoicePaid({ discounts: [{ discount: discountObject({ id: 'di_new', promotionCode: 'promo_NEW' }), amount: 500 }] });
    expect(event.data.object).not.toHaveProperty('discount');
    expect(event.data.object.discounts).toEqual(['di_new']);
    const m = paymentFromStripeEvent('co_1', asObj(event));
    expect(m).toMatchObject({ kind: 'payment', discountIds: ['di_new'] });
    expect(m.kind === 'payment' && m.facts.promotionCodes).toBeUndefined();
  });

  it('reads expanded Discounts and PromotionCodes (ids and customer-facing codes) wherever they appear', () => {
    expect(promotionReferencesOf({ discounts: [discountObject({ promotionCode: 'promo_A' }), 'di_x'] })).toEqual({ codes: ['promo_A'], discountIds: [] });
    expect(
      promotionReferencesOf({
        total_discount_amounts: [{ amount: 5, discount: { id: 'di_1', promotion_code: { id: 'promo_B', object: 'promotion_code', code: 'JANE20' } } }],
      }),
    ).toEqual({ codes: ['promo_B', 'JANE20'], discountIds: [] });
    expect(promotionReferencesOf({ total_details: { breakdown: { discounts: [{ amount: 5, discount: { promotion_code: 'promo_C' } }] } } })).toEqual({
      codes: ['promo_C'],
      discountIds: [],
    });
    expect(promotionReferencesOf({ discounts: ['di_1', 'di_1', 7, null], discount: null })).toEqual({ codes: [], discountIds: ['di_1'] });
    expect(promotionReferencesOf({ discounts: 'nope', total_discount_amounts: [null, { discount: 3 }] })).toEqual({ codes: [], discountIds: [] });
  });

  it('a checkout session lists its coupons and promotion codes', () => {
    const event = builders.checkoutSessionCompleted({ customer: 'cus_9', email: 'p@x.co', promotionCode: { id: 'promo_CS', coupon: 'SAVE', amountOff: 300 } });
    expect(event.data.object).toMatchObject({ discounts: [{ coupon: 'SAVE', promotion_code: 'promo_CS' }], total_details: { amount_discount: 300 } });
    expect(checkoutLinkFromStripeEvent(asObj(event))).toMatchObject({
      kind: 'checkout',
      reference: null,
      buyer: { customerId: 'cus_9' },
      promotionCodes: ['promo_CS'],
    });
    // A guest session (no customer): its promotion code names the lead of its payment intent.
    const guest = builders.checkoutSessionCompleted({
      mode: 'payment',
      customer: null,
      paymentIntent: 'pi_G',
      email: 'g@x.co',
      promotionCode: { id: 'promo_CS', coupon: 'SAVE', amountOff: 300 },
    });
    expect(checkoutLinkFromStripeEvent(asObj(guest))).toMatchObject({
      kind: 'checkout',
      reference: null,
      buyer: { customerId: null, paymentIntentId: 'pi_G' },
      promotionCodes: ['promo_CS'],
    });
    // Neither a reference nor a promotion code: nothing to link.
    expect(checkoutLinkFromStripeEvent(asObj(builders.checkoutSessionCompleted({ customer: 'cus_9' })))).toMatchObject({ kind: 'ignored' });
  });
});
