import { newId, nowSeconds, randomString } from '../ids.js';
import type { Obj } from '../types.js';

/** A PromotionCode (API 2025-09-30 "clover" on: `promotion {coupon, type}` instead of an embedded `coupon`). */
export function promotionCodeObject(o: { id?: string; code?: string; coupon?: string; customer?: string | null; created?: number } = {}): Obj {
  const created = o.created ?? nowSeconds();
  return {
    id: o.id ?? newId('promo'),
    object: 'promotion_code',
    active: true,
    code: o.code ?? randomString(8).toUpperCase(),
    created,
    customer: o.customer ?? null,
    customer_account: null,
    expires_at: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    promotion: { coupon: o.coupon ?? randomString(8), type: 'coupon' },
    restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null },
    times_redeemed: 1,
  };
}

export interface DiscountInit {
  id?: string;
  coupon?: string;
  promotionCode?: string | null;
  customer?: string | null;
  invoice?: string | null;
  subscription?: string | null;
  checkoutSession?: string | null;
  start?: number;
  /**
   * The shape of API versions before 2025-09-30 ("clover"): the Coupon embedded as `coupon` (expanded, with
   * `percent_off`), no `source`. From clover on, `source {coupon, type}`.
   */
  legacy?: boolean;
}

/** A Discount: the application of a coupon or promotion code to a customer, subscription, invoice or session. */
export function discountObject(o: DiscountInit = {}): Obj {
  const coupon = o.coupon ?? randomString(8);
  const base: Obj = {
    id: o.id ?? `di_${randomString(24)}`,
    object: 'discount',
    checkout_session: o.checkoutSession ?? null,
    customer: o.customer ?? null,
    customer_account: null,
    end: null,
    invoice: o.invoice ?? null,
    invoice_item: null,
    promotion_code: o.promotionCode ?? null,
    start: o.start ?? nowSeconds(),
    subscription: o.subscription ?? null,
    subscription_item: null,
  };
  if (o.legacy) {
    return {
      ...base,
      coupon: {
        id: coupon,
        object: 'coupon',
        amount_off: null,
        created: base.start,
        currency: null,
        duration: 'forever',
        duration_in_months: null,
        livemode: false,
        max_redemptions: null,
        metadata: {},
        name: '20% off',
        percent_off: 20,
        redeem_by: null,
        times_redeemed: 1,
        valid: true,
      },
    };
  }
  return { ...base, source: { coupon, type: 'coupon' } };
}
