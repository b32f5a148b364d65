import { createHmac } from 'node:crypto';
import { nowSeconds } from './ids.js';

/**
 * The `Stripe-Signature` header Stripe sends with a webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<payload>" keyed with the endpoint secret>`.
 */
export function signWebhookPayload(payload: string, secret: string, timestamp: number = nowSeconds()): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
