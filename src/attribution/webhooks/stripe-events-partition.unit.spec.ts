import { describe, it, expect } from '@jest/globals';
import { recorded } from '../../../libs/event-store/testing/recorded.js';
import type { StripeEventReceived } from '../domain/stripe-event.js';
import { StripeEventsReactor } from './stripe-events.reactor.js';

const reactor = new StripeEventsReactor(null as never, null as never, null as never, null as never, null as never, null as never, null as never);

const received = (companyId: string, type: string, object: unknown) =>
  recorded<StripeEventReceived>({
    type: 'StripeEventReceived',
    data: { companyId, eventId: 'evt_1', eventType: type, source: 'webhook', event: { id: 'evt_1', type, data: { object } } },
  });

describe('attribution reactor partition key', () => {
  it('puts a customer’s payments, refunds and checkout links of one company under one key', () => {
    const keys = [
      received('co_1', 'invoice.paid', { id: 'in_1', customer: 'cus_A' }),
      received('co_1', 'charge.succeeded', { id: 'ch_2', customer: { id: 'cus_A', object: 'customer' } }),
      received('co_1', 'charge.refunded', { id: 'ch_1', customer: 'cus_A' }),
      received('co_1', 'checkout.session.completed', { id: 'cs_1', customer: 'cus_A' }),
      received('co_1', 'charge.dispute.closed', { id: 'dp_1', charge: { id: 'ch_1', customer: 'cus_A' } }),
    ].map((e) => reactor.partitionKey(e));
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(keys[0]).toContain('cus_A');
  });

  it('keeps other customers and other companies apart', () => {
    const a = reactor.partitionKey(received('co_1', 'invoice.paid', { customer: 'cus_A' }));
    expect(reactor.partitionKey(received('co_1', 'invoice.paid', { customer: 'cus_B' }))).not.toBe(a);
    expect(reactor.partitionKey(received('co_2', 'invoice.paid', { customer: 'cus_A' }))).not.toBe(a);
  });

  it('falls back to the company for events naming no customer, and to none for events it ignores', () => {
    expect(reactor.partitionKey(received('co_1', 'charge.dispute.closed', { id: 'dp_1', charge: 'ch_1' }))).toBe('co_1');
    expect(reactor.partitionKey(received('co_1', 'charge.succeeded', { id: 'ch_9', customer: null }))).toBe('co_1');
    expect(reactor.partitionKey(received('co_1', 'invoice.paid', 'not an object'))).toBe('co_1');
    expect(reactor.partitionKey({ ...received('co_1', 'invoice.paid', {}), data: { companyId: 'co_1', event: null } })).toBe('co_1');
    expect(reactor.partitionKey(recorded({ type: 'PaymentRecorded', data: { companyId: 'co_1' } }))).toBeUndefined();
  });
});
