import { describe, it, expect } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { verifyStripeWebhook, WebhookSignatureError } from './webhook-signature.js';

const secret = 'whsec_test_secret';
const now = 1_700_000_000;
const body = JSON.stringify({ id: 'evt_1', type: 'account.updated', created: now, data: { object: { id: 'acct_1' } } });
const sign = (payload: string, t = now, key = secret) => `t=${t},v1=${createHmac('sha256', key).update(`${t}.${payload}`).digest('hex')}`;

describe('verifyStripeWebhook', () => {
  it('accepts a valid signature and answers the event', () => {
    expect(verifyStripeWebhook(Buffer.from(body), sign(body), secret, 300, now)).toMatchObject({ id: 'evt_1', type: 'account.updated' });
  });

  it('accepts when any of several v1 signatures matches (secret rotation)', () => {
    const header = `${sign(body, now, 'whsec_old')},${sign(body).split(',')[1]}`;
    expect(verifyStripeWebhook(body, header, secret, 300, now).id).toBe('evt_1');
  });

  it.each([
    ['no header', undefined],
    ['malformed header', 'garbage'],
    ['wrong secret', sign(body, now, 'whsec_other')],
    ['tampered body', sign(body.replace('acct_1', 'acct_2'))],
    ['stale timestamp', sign(body, now - 301)],
    ['future timestamp', sign(body, now + 301)],
    ['non-hex signature', `t=${now},v1=zz`],
  ])('rejects %s', (_label, header) => {
    expect(() => verifyStripeWebhook(Buffer.from(body), header, secret, 300, now)).toThrow(WebhookSignatureError);
  });

  it.each([
    ['not an event', { hello: 'world' }],
    ['an id Stripe never gives', { id: 'x'.repeat(3000), type: 't', created: now, data: { object: {} } }],
    ['no created', { id: 'evt_1', type: 't', data: { object: {} } }],
    ['an array object', { id: 'evt_1', type: 't', created: now, data: { object: [] } }],
    ['a NUL character', { id: 'evt_1', type: 't', created: now, data: { object: { name: 'a\u0000b' } } }],
  ])('rejects a signed payload with %s', (_label, payload) => {
    const text = JSON.stringify(payload);
    expect(() => verifyStripeWebhook(text, sign(text), secret, 300, now)).toThrow('not a Stripe event');
  });

  it('rejects an empty body', () => {
    expect(() => verifyStripeWebhook(Buffer.alloc(0), sign(''), secret, 300, now)).toThrow(WebhookSignatureError);
  });
});
