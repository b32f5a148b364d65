import type { PaymentFacts } from '../payment.js';
import { paymentIdFor } from '../stripe-mapping.js';

/** The facts of a paid Stripe invoice `in_<n>` (its charge, intent and event named after it), for command specs. */
export const paymentFacts = (companyId: string, n: string, customerId: string | null, email: string | null = null, amount = 5000): PaymentFacts => ({
  paymentId: paymentIdFor(companyId, `in_${n}`),
  companyId,
  stripeObjectId: `in_${n}`,
  chargeId: `ch_${n}`,
  paymentIntentId: `pi_${n}`,
  invoiceId: `in_${n}`,
  customerId,
  email,
  amount,
  tax: 0,
  net: amount,
  currency: 'usd',
  paidAt: '2026-01-01T00:00:00.000Z',
  stripeEventId: `evt_${n}`,
});
