import { createHmac } from 'node:crypto';

/** `Stripe-Signature` as Stripe sends it: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.payload")>. */
export function signStripePayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`;
}
