import { invalidRequest, noSuch } from '../errors.js';
import { paginate } from '../list.js';
import { allowOnly, optEnum, optHash, optString } from '../params.js';
import type { Route } from '../router.js';
import type { Obj } from '../types.js';

const PAYMENT_TYPES = ['charge', 'payment_intent', 'payment_record'] as const;

const idOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof (v as Obj | null)?.id === 'string' ? (v as Obj).id : undefined);

/**
 * InvoicePayments (API ≥ 2025-03-31): listed by `invoice`, or by `payment[type]` with `payment[payment_intent]`
 * (or `payment[charge]` / `payment[payment_record]`). Objects are put in the emulator by tests
 * (`emulator.putObject('invoice_payments', invoicePaymentObject(…))`).
 */
export const invoicePaymentRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/invoice_payments',
    handler: (ctx) => {
      allowOnly(ctx.params, ['created', 'ending_before', 'invoice', 'limit', 'payment', 'starting_after', 'status']);
      const invoice = optString(ctx.params, 'invoice');
      const status = optEnum(ctx.params, 'status', ['canceled', 'open', 'paid'] as const);
      const payment = optHash(ctx.params, 'payment');
      let matchesPayment = (_: Obj) => true;
      if (payment) {
        allowOnly(payment, ['type', 'payment_intent', 'payment_record', 'charge']);
        const type = optEnum(payment, 'type', PAYMENT_TYPES);
        if (!type) throw invalidRequest('Missing required param: payment[type].', 'payment[type]', 'parameter_missing');
        const wanted = optString(payment, type, `payment[${type}]`);
        for (const other of PAYMENT_TYPES) {
          if (other !== type && payment[other] !== undefined)
            throw invalidRequest(`payment[${other}] cannot be used with payment[type]=${type}.`, `payment[${other}]`);
        }
        matchesPayment = (o) => o.payment?.type === type && (wanted === undefined || idOf(o.payment?.[type]) === wanted);
      }
      return paginate(
        ctx.state.list('invoice_payments', ctx.account),
        ctx.params,
        '/v1/invoice_payments',
        'invoice_payment',
        (o) => (invoice === undefined || idOf(o.invoice) === invoice) && (status === undefined || o.status === status) && matchesPayment(o),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1/invoice_payments/:id',
    handler: (ctx, id) => {
      const found = ctx.state.get('invoice_payments', id, ctx.account);
      if (!found) throw noSuch('invoice_payment', id);
      return found;
    },
  },
];
