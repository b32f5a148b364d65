import { describe, it, expect } from '@jest/globals';
import { builders, PRE_BASIL_API_VERSION } from '../../../test/stripe-emulator/index.js';
import { paymentFromStripeEvent } from './stripe-mapping.js';

const asObj = (e: object) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
const mapped = (event: object) => {
  const m = paymentFromStripeEvent('co_1', asObj(event));
  if (m.kind !== 'payment') throw new Error(`ignored: ${m.reason}`);
  return m;
};

describe('commission exclusion by Stripe metadata partnerflow: "false" (SPEC §11)', () => {
  it('on the invoice', () => {
    const m = mapped(builders.invoicePaid({ id: 'in_x', metadata: { partnerflow: 'false' } }));
    expect(m.facts.commissionExcluded).toEqual({ where: 'invoice', reason: 'metadata partnerflow: "false" on invoice in_x' });
    expect(m.customerLookup).toBeUndefined();
  });

  it('on the subscription, in the shape of API ≥ 2025-03-31 (parent.subscription_details.metadata)', () => {
    const event = builders.invoicePaid({ subscription: 'sub_new', subscriptionMetadata: { partnerflow: 'false' } });
    expect(event.data.object.parent.subscription_details.metadata).toEqual({ partnerflow: 'false' });
    expect(mapped(event).facts.commissionExcluded).toEqual({ where: 'subscription', reason: 'metadata partnerflow: "false" on subscription sub_new' });
  });

  it('on the subscription, in the shape before 2025-03-31 (subscription_details.metadata)', () => {
    const event = builders.invoicePaid({ subscription: 'sub_old', subscriptionMetadata: { partnerflow: 'false' }, apiVersion: PRE_BASIL_API_VERSION });
    expect(event.data.object.parent).toBeUndefined();
    expect(event.data.object.subscription_details.metadata).toEqual({ partnerflow: 'false' });
    expect(mapped(event).facts.commissionExcluded).toEqual({ where: 'subscription', reason: 'metadata partnerflow: "false" on subscription sub_old' });
  });

  it('on a standalone charge', () => {
    const m = mapped(builders.chargeSucceeded({ id: 'ch_x', metadata: { partnerflow: 'False ' }, apiVersion: PRE_BASIL_API_VERSION }));
    expect(m.facts.commissionExcluded).toEqual({ where: 'charge', reason: 'metadata partnerflow: "false" on charge ch_x' });
  });

  it('on an expanded customer; otherwise the customer is to be looked up', () => {
    const event = asObj(builders.invoicePaid({ customer: 'cus_x' }));
    const plain = paymentFromStripeEvent('co_1', event);
    expect(plain).toMatchObject({ kind: 'payment', customerLookup: 'cus_x' });
    expect((plain as { facts: object }).facts).not.toHaveProperty('commissionExcluded');
    (event.data as { object: Record<string, unknown> }).object.customer = { id: 'cus_x', object: 'customer', metadata: { partnerflow: 'false' } };
    const expanded = mapped(event);
    expect(expanded.facts.commissionExcluded).toEqual({ where: 'customer', reason: 'metadata partnerflow: "false" on customer cus_x' });
    expect(expanded.customerLookup).toBeUndefined();
  });

  it('only the value "false" excludes; other keys and values do not', () => {
    for (const metadata of [{ partnerflow: 'true' }, { partnerflow: '' }, { partnerflow: 'no' }, { Partnerflow: 'false' }, {}]) {
      expect(mapped(builders.invoicePaid({ metadata })).facts.commissionExcluded).toBeUndefined();
    }
  });
});
