const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Stripe-style id: prefix, underscore, alphanumerics (bench data, not secrets). */
export function randomId(prefix: string, length = 24): string {
  let id = `${prefix}_`;
  for (let i = 0; i < length; i++) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
}

/** The data of a PaymentRecorded event as the attribution module writes it: the event-store benches append this. */
export function paymentRecordedData(companyId: string, i: number): Record<string, unknown> {
  const amount = 1000 + (i % 97) * 100;
  const tax = Math.round(amount * 0.2);
  return {
    paymentId: `pay_${i.toString(36).padStart(10, '0')}`,
    companyId,
    stripeObjectId: randomId('in'),
    chargeId: randomId('ch'),
    paymentIntentId: randomId('pi'),
    invoiceId: randomId('in'),
    customerId: randomId('cus', 14),
    email: `customer${i}@example.com`,
    amount,
    tax,
    net: amount - tax,
    currency: 'usd',
    paidAt: new Date(1_750_000_000_000 + i * 1000).toISOString(),
    stripeEventId: randomId('evt'),
  };
}
