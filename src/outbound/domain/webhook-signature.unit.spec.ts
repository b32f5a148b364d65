import { describe, it, expect } from '@jest/globals';
import Stripe from 'stripe';
import { signatureHeader } from './webhook-signature.js';

const stripe = new Stripe('sk_test_unit');

describe('Partnerflow-Signature', () => {
  const secret = 'whsec_0123456789abcdef0123456789abcdef0123456789abcdef';
  const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', created: 1_700_000_000, data: { object: { id: 'inv_1', note: 'é "quoted"' } } });

  it('is exactly the header Stripe’s library makes for the same secret, timestamp and payload', () => {
    const t = 1_800_000_000;
    expect(signatureHeader(secret, t, body)).toBe(stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t }));
  });

  it('verifies with stripe.webhooks.constructEvent, keyed with the whsec_ string as given', () => {
    const header = signatureHeader(secret, Math.floor(Date.now() / 1000), body);
    expect(stripe.webhooks.constructEvent(body, header, secret)).toEqual(JSON.parse(body));
    expect(() => stripe.webhooks.constructEvent(body, header, secret.slice(6))).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(body.replace('inv_1', 'inv_2'), header, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('a stale timestamp fails the receiver’s tolerance check (replays are refused by the same code)', () => {
    const header = signatureHeader(secret, Math.floor(Date.now() / 1000) - 3600, body);
    expect(() => stripe.webhooks.constructEvent(body, header, secret)).toThrow(/tolerance/);
  });
});
