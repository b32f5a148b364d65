import { noSuch } from '../errors.js';
import { allowOnly } from '../params.js';
import type { Route } from '../router.js';

/**
 * Promotion codes and invoices, retrieved (`expand[]=discounts`, `expand[]=total_discount_amounts.discount` expand
 * their Discount ids, `discounts.promotion_code` further). Objects are put in by tests
 * (`emulator.putObject('promotion_codes', promotionCodeObject(…))`, `'invoices'`, `'discounts'`).
 */
export const discountRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/promotion_codes/:id',
    handler: (ctx, id) => {
      allowOnly(ctx.params, ['expand']);
      const found = ctx.state.get('promotion_codes', id, ctx.account);
      if (!found) throw noSuch('promotion_code', id);
      return found;
    },
  },
  {
    method: 'GET',
    pattern: '/v1/invoices/:id',
    handler: (ctx, id) => {
      allowOnly(ctx.params, ['expand']);
      const found = ctx.state.get('invoices', id, ctx.account);
      if (!found) throw noSuch('invoice', id);
      return found;
    },
  },
];
