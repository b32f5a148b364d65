import { invalidRequest, noSuch } from '../errors.js';
import { customerObject } from '../objects/customers.js';
import { paginate } from '../list.js';
import { allowOnly, mergeMetadata, optHash, optString } from '../params.js';
import type { Ctx, Route } from '../router.js';
import type { Obj, Params } from '../types.js';
import { attachPaymentMethod, resolvePaymentMethod } from './payment-methods.js';

const WRITABLE = [
  'address',
  'balance',
  'cash_balance',
  'description',
  'email',
  'invoice_prefix',
  'invoice_settings',
  'metadata',
  'name',
  'next_invoice_sequence',
  'payment_method',
  'phone',
  'preferred_locales',
  'shipping',
  'source',
  'tax',
  'tax_exempt',
  'tax_id_data',
  'test_clock',
  'validate',
];

export function requireCustomer(ctx: Ctx, id: string, param?: string): Obj {
  const customer = ctx.state.get('customers', id, ctx.account);
  if (!customer) throw noSuch('customer', id, param);
  return customer;
}

function validEmail(params: Params): string | undefined {
  const email = optString(params, 'email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalidRequest(`Invalid email address: ${email}`, 'email', 'email_invalid');
  return email;
}

function applyWritable(ctx: Ctx, customer: Obj): void {
  const { params } = ctx;
  const email = validEmail(params);
  if (email !== undefined) customer.email = email || null;
  for (const field of ['name', 'description', 'phone'] as const) {
    const value = optString(params, field);
    if (value !== undefined) customer[field] = value || null;
  }
  customer.metadata = mergeMetadata(customer.metadata, params);
  const pmId = optString(params, 'payment_method');
  if (pmId) attachPaymentMethod(ctx, resolvePaymentMethod(ctx, pmId, 'payment_method'), customer.id);
  const defaultPm = optString(optHash(params, 'invoice_settings') ?? {}, 'default_payment_method', 'invoice_settings[default_payment_method]');
  if (defaultPm !== undefined) customer.invoice_settings.default_payment_method = defaultPm || null;
}

export const customerRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/customers',
    handler: (ctx) => {
      allowOnly(ctx.params, WRITABLE);
      const customer = customerObject();
      applyWritable(ctx, customer);
      ctx.state.put('customers', customer, ctx.account);
      ctx.emit('customer.created', customer);
      return customer;
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:id',
    // A deleted customer is still retrievable, as Stripe's DeletedCustomer (`Stripe.Customer | Stripe.DeletedCustomer`).
    handler: (ctx, id) => (ctx.state.deletedCustomers.get(id) === ctx.account ? { id, object: 'customer', deleted: true } : requireCustomer(ctx, id)),
  },
  {
    method: 'POST',
    pattern: '/v1/customers/:id',
    handler: (ctx, id) => {
      allowOnly(ctx.params, [...WRITABLE, 'default_source', 'coupon', 'promotion_code']);
      const customer = requireCustomer(ctx, id);
      applyWritable(ctx, customer);
      ctx.emit('customer.updated', customer);
      return customer;
    },
  },
  {
    method: 'DELETE',
    pattern: '/v1/customers/:id',
    handler: (ctx, id) => {
      const customer = requireCustomer(ctx, id);
      ctx.state.table('customers').delete(id);
      ctx.state.deletedCustomers.set(id, ctx.account);
      ctx.emit('customer.deleted', customer);
      return { id, object: 'customer', deleted: true };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers',
    handler: (ctx) => {
      allowOnly(ctx.params, ['created', 'email', 'ending_before', 'limit', 'starting_after', 'test_clock']);
      const email = optString(ctx.params, 'email');
      return paginate(ctx.state.list('customers', ctx.account), ctx.params, '/v1/customers', 'customer', (c) => !email || c.email === email);
    },
  },
];
