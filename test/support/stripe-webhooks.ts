import request from 'supertest';
import type { RunningApp } from '../../src/bootstrap.js';
import { signWebhookPayload } from '../stripe-emulator/index.js';

export interface SendOptions {
  /** Sign with this secret instead of the company's. */
  secret?: string;
  /** Unix seconds put in the signature (stale or future deliveries). */
  timestamp?: number;
  /** A raw Stripe-Signature header, or null for none. */
  signature?: string | null;
  companyId?: string;
}

/** Posts an event to the company's Stripe webhook endpoint as Stripe does: raw JSON body, signed header. */
export function stripeWebhooks(app: RunningApp | string, companyId: string, secret: string) {
  const target = typeof app === 'string' ? app : app.app.getHttpServer();
  return (event: object, o: SendOptions = {}) => {
    const payload = JSON.stringify(event);
    let req = request(target)
      .post(`/v1/webhooks/stripe/${o.companyId ?? companyId}`)
      .set('Content-Type', 'application/json');
    const signature = o.signature === undefined ? signWebhookPayload(payload, o.secret ?? secret, o.timestamp) : o.signature;
    if (signature !== null) req = req.set('Stripe-Signature', signature);
    return req.send(payload);
  };
}
