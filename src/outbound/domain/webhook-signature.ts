import { createHmac } from 'node:crypto';

/** Name of the header every delivery carries. */
export const SIGNATURE_HEADER = 'Partnerflow-Signature';

/**
 * Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed with the `whsec_…` string as given,
 * so a receiver verifies with the same code it uses for Stripe's own webhooks.
 */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
