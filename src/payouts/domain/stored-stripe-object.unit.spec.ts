import { describe, it, expect } from '@jest/globals';
import { withoutPaymentDetails } from './stored-stripe-object.js';
import { builders } from '../../../test/stripe-emulator/index.js';

const personal = ['4242424242424242', 'jenny@example.com', 'Jenny Rosen', '+15555550123', 'Main St', 'fp_secret_fingerprint', '1990'];
const pm = {
  id: 'pm_1',
  object: 'payment_method',
  type: 'card',
  customer: 'cus_1',
  billing_details: { email: 'jenny@example.com', name: 'Jenny Rosen', phone: '+15555550123', address: { line1: '1 Main St' } },
  card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, fingerprint: 'fp_secret_fingerprint', country: 'US', checks: { cvc_check: 'pass' } },
};

describe('stored platform Stripe objects', () => {
  it('keep a payment method as id, type, brand and last 4; drop billing details, fingerprint, expiry', () => {
    const intent = { id: 'seti_1', object: 'setup_intent', customer: 'cus_1', payment_method: pm, metadata: { companyId: 'co_1' }, status: 'succeeded' };
    expect(withoutPaymentDetails(intent)).toEqual({
      id: 'seti_1',
      object: 'setup_intent',
      customer: 'cus_1',
      status: 'succeeded',
      metadata: { companyId: 'co_1' },
      payment_method: { id: 'pm_1', object: 'payment_method', type: 'card', customer: 'cus_1', card: { brand: 'visa', last4: '4242' } },
    });
  });

  it('a failed PaymentIntent keeps the id of its payment method and the decline; charges keep brand and last 4 of their details', () => {
    const failed = builders.paymentIntentPaymentFailed({}).data.object as Record<string, unknown>;
    const withPm = {
      ...failed,
      last_payment_error: { ...(failed.last_payment_error as object), payment_method: pm },
      receipt_email: 'jenny@example.com',
      shipping: { name: 'Jenny Rosen', phone: '+15555550123' },
    };
    const kept = withoutPaymentDetails(withPm);
    expect(kept.last_payment_error).toMatchObject({ payment_method: 'pm_1', code: expect.any(String) });
    expect(kept).toMatchObject({ id: failed.id, status: failed.status, amount: failed.amount, metadata: failed.metadata });
    const charge = withoutPaymentDetails({
      id: 'ch_1',
      object: 'charge',
      billing_details: pm.billing_details,
      payment_method_details: { type: 'card', card: pm.card },
    });
    expect(charge).toEqual({ id: 'ch_1', object: 'charge', payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } } });
    for (const value of personal) expect(JSON.stringify([kept, charge])).not.toContain(value);
  });

  it('an account keeps what the payouts read (ids, flags, requirements, metadata) and none of its owner’s personal data', () => {
    const account = builders.accountUpdated({}).data.object as Record<string, unknown>;
    const full = {
      ...account,
      email: 'jenny@example.com',
      individual: { first_name: 'Jenny', last_name: 'Rosen', dob: { year: 1990 }, phone: '+15555550123' },
      business_profile: { support_email: 'jenny@example.com' },
      external_accounts: {
        object: 'list',
        data: [
          {
            id: 'ba_1',
            object: 'bank_account',
            bank_name: 'STRIPE TEST BANK',
            last4: '6789',
            routing_number: '110000000',
            account_holder_name: 'Jenny Rosen',
            fingerprint: 'fp_secret_fingerprint',
            country: 'US',
            currency: 'usd',
            status: 'new',
          },
        ],
      },
    };
    const kept = withoutPaymentDetails(full);
    expect(kept).toMatchObject({
      id: account.id,
      payouts_enabled: account.payouts_enabled,
      charges_enabled: account.charges_enabled,
      details_submitted: account.details_submitted,
      metadata: account.metadata,
    });
    expect((kept.external_accounts as { data: unknown[] }).data).toEqual([
      { id: 'ba_1', object: 'bank_account', bank_name: 'STRIPE TEST BANK', last4: '6789', country: 'US', currency: 'usd', status: 'new' },
    ]);
    for (const value of [...personal, '110000000', 'Jenny']) expect(JSON.stringify(kept)).not.toContain(value);
  });
});
