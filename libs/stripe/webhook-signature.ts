import { createHmac, timingSafeEqual } from 'node:crypto';

export class WebhookSignatureError extends Error {}

export interface VerifiedStripeEvent {
  id: string;
  type: string;
  created: number;
  account?: string;
  data: { object: Record<string, unknown> };
}

/**
 * Checks a `Stripe-Signature` header (`t=…,v1=…[,v1=…]`) against the raw body: HMAC-SHA256 of
 * `<t>.<body>` with the endpoint secret, within `toleranceSeconds` of now. Answers the parsed event.
 */
export function verifyStripeWebhook(
  rawBody: Buffer | string | undefined,
  header: string | undefined,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifiedStripeEvent {
  if (rawBody === undefined || rawBody.length === 0) throw new WebhookSignatureError('The request has no body');
  if (!header) throw new WebhookSignatureError('Missing Stripe-Signature header');
  const parts = header.split(',').map((p) => p.trim().split('='));
  const timestamp = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
  if (!Number.isInteger(timestamp) || signatures.length === 0) throw new WebhookSignatureError('Malformed Stripe-Signature header');
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) throw new WebhookSignatureError('The signature timestamp is outside the tolerance window');
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  const matches = signatures.some((s) => /^[0-9a-f]{64}$/i.test(s) && timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!matches) throw new WebhookSignatureError('No signature matches the payload');
  let event: unknown;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookSignatureError('The payload is not JSON');
  }
  if (!isEvent(event)) throw new WebhookSignatureError('The payload is not a Stripe event');
  // No Stripe event carries NUL, and PostgreSQL's jsonb cannot store it.
  if (body.includes('\\u0000')) throw new WebhookSignatureError('The payload is not a Stripe event (NUL character)');
  return event;
}

/** Stripe's shape: the id becomes part of a stream name, so it must look like one Stripe gives out. */
function isEvent(e: unknown): e is VerifiedStripeEvent {
  const v = e as VerifiedStripeEvent;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    /^evt_[A-Za-z0-9_]{1,250}$/.test(v.id) &&
    typeof v.type === 'string' &&
    v.type.length <= 100 &&
    Number.isInteger(v.created) &&
    typeof v.data?.object === 'object' &&
    v.data.object !== null &&
    !Array.isArray(v.data.object)
  );
}
