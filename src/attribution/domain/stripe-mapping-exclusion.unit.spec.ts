import { describe, it, expect } from '@jest/globals';
import { builders, PRE_BASIL_API_VERSION } from '../../../test/stripe-emulator/index.js';
import { customerMetadataFromStripeEvent, customerOfStripeEvent, paymentFromStripeEvent } from './stripe-mapping.js';
import { decideCustomerExclusion, evolveCustomer, initialCustomer } from './customer.js';

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

  it('customer.created / customer.updated: the customer’s word, kept when newer and different; partitioned with its payments', () => {
    const updated = asObj(builders.customerUpdated({ id: 'cus_m', metadata: { partnerflow: 'false' }, created: 100 }));
    const seen = customerMetadataFromStripeEvent(updated);
    expect(seen).toEqual({
      kind: 'customer',
      customerId: 'cus_m',
      excluded: true,
      created: (updated as { created: number }).created,
      stripeEventId: (updated as { id: string }).id,
    });
    expect(customerOfStripeEvent(updated)).toBe('cus_m');
    expect(customerMetadataFromStripeEvent(asObj(builders.invoicePaid()))).toMatchObject({ kind: 'ignored' });

    const data = (excluded: boolean, created: number) => ({ companyId: 'co_1', customerId: 'cus_m', excluded, created, stripeEventId: `evt_${created}` });
    const [first] = decideCustomerExclusion(initialCustomer, data(true, 100));
    const state = evolveCustomer(initialCustomer, first!);
    expect(state.exclusion).toEqual({ excluded: true, created: 100, stripeEventId: 'evt_100' });
    expect(decideCustomerExclusion(state, data(true, 200))).toEqual([]); // says nothing new
    expect(decideCustomerExclusion(state, data(false, 50))).toEqual([]); // older, delivered late
    expect(decideCustomerExclusion(state, data(false, 200))).toEqual([{ type: 'CustomerExclusionSeen', data: data(false, 200) }]);
  });
});
