import { describe, it, expect } from '@jest/globals';
import { customerStream, decideLink, evolveLead, initialLead } from './lead.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({ streamId: 'l', type, data, version: 1, globalPosition: 1, checkpoint: '1/1', occurredAt: new Date(0), schemaVersion: 1, metadata: {} });

describe('lead decider: linking a Stripe customer', () => {
  const ids = { leadId: 'ld_1', companyId: 'co_1' };
  const lead = evolveLead(initialLead, recorded('LeadCreated', { ...ids, partnerId: 'pa_1', email: 'john@techstartup.com', name: null }));

  it('links and claims the customer stream atomically (no_stream guard)', () => {
    const d = decideLink(lead, ids, 'cus_1', 'manual');
    expect(d.events).toEqual([{ type: 'LeadCustomerLinked', data: { ...ids, partnerId: 'pa_1', customerId: 'cus_1', method: 'manual' } }]);
    expect(d.also).toEqual([{ streamId: customerStream('co_1', 'cus_1'), events: [{ type: 'CustomerClaimed', data: { companyId: 'co_1', customerId: 'cus_1', leadId: 'ld_1' } }], expectedVersion: 'no_stream' }]);
  });

  it('is a no-op when the lead already holds that customer', () => {
    const linked = evolveLead(lead, recorded('LeadCustomerLinked', { ...ids, partnerId: 'pa_1', customerId: 'cus_1', method: 'manual' }));
    expect(decideLink(linked, ids, 'cus_1', 'manual')).toEqual({ events: [], also: [] });
  });
});
