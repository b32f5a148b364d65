import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from './index.js';

let emulator: StripeEmulator;
const client = (key: string) => new Stripe(key, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });

beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(() => emulator.close());

describe('restricted keys and customer updates', () => {
  it('a restricted key without write access to customers gets Stripe’s 403, which the SDK raises as StripePermissionError', async () => {
    const customer = await client('sk_test_full').customers.create({ email: 'c@x.test', metadata: { plan: 'pro' } });
    emulator.restrictKey('rk_test_readonly_abc123', ['rak_customer_read', 'rak_event_read']);
    const readOnly = client('rk_test_readonly_abc123');
    expect((await readOnly.customers.retrieve(customer.id)).id).toBe(customer.id);
    const err = await readOnly.customers.update(customer.id, { metadata: { partnerflow_partner_id: 'pa_1' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(err).toMatchObject({
      statusCode: 403,
      rawType: 'invalid_request_error',
      message: `The provided key 'rk_test_*********abc123' does not have the required permissions for this endpoint on account 'acct_1EmulatorPlatform'. Having the 'rak_customer_write' permission would allow this request to continue.`,
    });
    expect(((await client('sk_test_full').customers.retrieve(customer.id)) as Stripe.Customer).metadata).toEqual({ plan: 'pro' });
  });

  it('write access updates the metadata (merged, empty value deletes a key) and a retry with the same Idempotency-Key is replayed', async () => {
    const customer = await client('sk_test_full').customers.create({ metadata: { plan: 'pro', old: 'x' } });
    emulator.restrictKey('rk_test_writer_def456', ['rak_customer_write']);
    const writer = client('rk_test_writer_def456');
    const updated = await writer.customers.update(customer.id, { metadata: { partnerflow_lead_id: 'ld_1', old: '' } }, { idempotencyKey: 'wb-1' });
    expect(updated.metadata).toEqual({ plan: 'pro', partnerflow_lead_id: 'ld_1' });
    const again = await writer.customers.update(customer.id, { metadata: { partnerflow_lead_id: 'ld_1', old: '' } }, { idempotencyKey: 'wb-1' });
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(((await writer.customers.retrieve(customer.id)) as Stripe.Customer).metadata).toEqual({ plan: 'pro', partnerflow_lead_id: 'ld_1' });
    // an undeclared restricted key keeps full access
    expect((await client('rk_test_anything').customers.retrieve(customer.id)).id).toBe(customer.id);
  });
});
