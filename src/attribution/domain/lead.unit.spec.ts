import { describe, it, expect } from '@jest/globals';
import { decideLink, evolveLead, initialLead } from './lead.js';
import { customerStream, evolveCustomer, initialCustomer } from './customer.js';
import { recorded as storedEvent } from '../../../libs/event-store/testing/recorded.js';

const recorded = (type: string, data: Record<string, unknown>) => storedEvent({ type, data });

describe('lead decider: linking a Stripe customer', () => {
  const ids = { leadId: 'ld_1', companyId: 'co_1' };
  const lead = evolveLead(initialLead, recorded('LeadCreated', { ...ids, partnerId: 'pa_1', email: 'john@techstartup.com', name: null }));
  const unclaimed = { state: initialCustomer, version: 0 };

  it('links and claims the customer stream atomically, at the version read', () => {
    const d = decideLink(lead, ids, unclaimed, 'cus_1', 'manual');
    expect(d).toEqual({
      taken: false,
      events: [{ type: 'LeadCustomerLinked', data: { ...ids, partnerId: 'pa_1', customerId: 'cus_1', method: 'manual' } }],
      also: [
        {
          streamId: customerStream('co_1', 'cus_1'),
          events: [{ type: 'CustomerClaimed', data: { companyId: 'co_1', customerId: 'cus_1', leadId: 'ld_1', method: 'manual' } }],
          expectedVersion: 0,
        },
      ],
    });
  });

  it('claims at the version of a customer stream that already lists payments', () => {
    const withPayment = {
      state: evolveCustomer(initialCustomer, recorded('CustomerPaymentRecorded', { companyId: 'co_1', customerId: 'cus_1', paymentId: 'pay_1' })),
      version: 1,
    };
    const d = decideLink(lead, ids, withPayment, 'cus_1', 'email');
    expect(d.taken === false && d.also[0]!.expectedVersion).toBe(1);
  });

  it('is a no-op when the lead already holds that customer', () => {
    const linked = evolveLead(lead, recorded('LeadCustomerLinked', { ...ids, partnerId: 'pa_1', customerId: 'cus_1', method: 'manual' }));
    const claimed = {
      state: evolveCustomer(initialCustomer, recorded('CustomerClaimed', { companyId: 'co_1', customerId: 'cus_1', leadId: 'ld_1', method: 'manual' })),
      version: 1,
    };
    expect(decideLink(linked, ids, claimed, 'cus_1', 'manual')).toEqual({ taken: false, events: [], also: [] });
  });

  it('relinks the lead without a second claim when it held that customer before', () => {
    const claimed = {
      state: evolveCustomer(initialCustomer, recorded('CustomerClaimed', { companyId: 'co_1', customerId: 'cus_1', leadId: 'ld_1', method: 'manual' })),
      version: 1,
    };
    const now = evolveLead(lead, recorded('LeadCustomerLinked', { ...ids, partnerId: 'pa_1', customerId: 'cus_2', method: 'manual' }));
    const d = decideLink(now, ids, claimed, 'cus_1', 'manual');
    expect(d).toEqual({ taken: false, events: [expect.objectContaining({ type: 'LeadCustomerLinked' })], also: [] });
  });

  it('refuses a customer another lead holds, naming that lead', () => {
    const claimed = {
      state: evolveCustomer(initialCustomer, recorded('CustomerClaimed', { companyId: 'co_1', customerId: 'cus_1', leadId: 'ld_other', method: 'email' })),
      version: 3,
    };
    expect(decideLink(lead, ids, claimed, 'cus_1', 'manual')).toEqual({ taken: true, holder: 'ld_other' });
  });
});
