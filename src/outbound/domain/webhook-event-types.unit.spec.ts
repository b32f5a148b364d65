import { describe, it, expect } from '@jest/globals';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';
import { deliveryIdOf, resourceKeyOf, WEBHOOK_EVENT_TYPES, WEBHOOK_SOURCE_TYPES, webhookFactOf } from './webhook-event-types.js';

const recorded = (type: string, data: Record<string, unknown>, streamId = 'x-co_1-1', version = 1): RecordedEvent =>
  ({
    type,
    data: { companyId: 'co_1', ...data },
    streamId,
    version,
    globalPosition: 7,
    checkpoint: '1/7',
    occurredAt: new Date('2026-12-01T00:00:05.900Z'),
    schemaVersion: 1,
    metadata: {},
  }) as RecordedEvent;

describe('webhook event types', () => {
  it('are SPEC §12’s thirteen, each fed by one domain event', () => {
    expect(WEBHOOK_EVENT_TYPES).toHaveLength(13);
    const fed = WEBHOOK_SOURCE_TYPES.map(
      (t) => webhookFactOf(recorded(t, { paymentId: 'p', commissionId: 'c', invoiceId: 'i', leadId: 'l', partnerId: 'pa' }))!.type,
    );
    expect(new Set(fed)).toEqual(new Set(WEBHOOK_EVENT_TYPES));
  });

  it('derives a stable event id from the domain event’s place in its stream', () => {
    const a = webhookFactOf(recorded('InvoicePaid', { invoiceId: 'in_1' }, 'invoice-co_1-in_1', 4))!;
    expect(a).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
      type: 'invoice.paid',
      companyId: 'co_1',
      resource: 'invoice',
      resourceId: 'in_1',
      created: Math.floor(Date.parse('2026-12-01T00:00:05Z') / 1000),
    });
    expect(webhookFactOf(recorded('InvoicePaid', { invoiceId: 'in_1' }, 'invoice-co_1-in_1', 4))!.id).toBe(a.id);
    expect(webhookFactOf(recorded('InvoicePaid', { invoiceId: 'in_1' }, 'invoice-co_1-in_1', 5))!.id).not.toBe(a.id);
    expect(deliveryIdOf('we_1', a.id)).toBe(deliveryIdOf('we_1', a.id));
    expect(deliveryIdOf('we_2', a.id)).not.toBe(deliveryIdOf('we_1', a.id));
    expect(resourceKeyOf(a)).toBe('invoice:in_1');
  });

  it('ignores other events and events without their ids', () => {
    expect(webhookFactOf(recorded('PaymentRecorded', { paymentId: 'p' }))).toBeUndefined();
    expect(webhookFactOf(recorded('InvoicePaid', {}))).toBeUndefined();
  });
});
