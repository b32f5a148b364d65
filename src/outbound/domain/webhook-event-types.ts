import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';

/** SPEC §12: the events a company's webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'payment.attributed',
  'payment.unattributed',
  'commission.created',
  'commission.reversed',
  'commission.approved',
  'commission.declined',
  'invoice.created',
  'invoice.approved',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'lead.created',
  'partner.created',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export type ResourceKind = 'payment' | 'commission' | 'invoice' | 'lead' | 'partner';

/**
 * The domain events behind each webhook type, and which field names the resource. `CommissionApproved` and
 * `CommissionDeclined` are the names commission review (SPEC §11) is to record; until it does, those two never fire.
 */
const SOURCES: Record<string, { type: WebhookEventType; resource: ResourceKind; idField: string }> = {
  PaymentAttributed: { type: 'payment.attributed', resource: 'payment', idField: 'paymentId' },
  PaymentUnattributed: { type: 'payment.unattributed', resource: 'payment', idField: 'paymentId' },
  CommissionEarned: { type: 'commission.created', resource: 'commission', idField: 'commissionId' },
  CommissionReversed: { type: 'commission.reversed', resource: 'commission', idField: 'commissionId' },
  CommissionApproved: { type: 'commission.approved', resource: 'commission', idField: 'commissionId' },
  CommissionDeclined: { type: 'commission.declined', resource: 'commission', idField: 'commissionId' },
  InvoiceGenerated: { type: 'invoice.created', resource: 'invoice', idField: 'invoiceId' },
  InvoiceApproved: { type: 'invoice.approved', resource: 'invoice', idField: 'invoiceId' },
  InvoicePaid: { type: 'invoice.paid', resource: 'invoice', idField: 'invoiceId' },
  InvoicePaymentFailed: { type: 'invoice.payment_failed', resource: 'invoice', idField: 'invoiceId' },
  InvoiceVoided: { type: 'invoice.voided', resource: 'invoice', idField: 'invoiceId' },
  LeadCreated: { type: 'lead.created', resource: 'lead', idField: 'leadId' },
  PartnerCreated: { type: 'partner.created', resource: 'partner', idField: 'partnerId' },
};

/** The domain event types that become webhook events. */
export const WEBHOOK_SOURCE_TYPES = Object.keys(SOURCES);

/** What a domain event means to a webhook receiver: one event of one resource. */
export interface WebhookFact {
  /** `evt_…`, the same for every endpoint and every retry: derived from the domain event's place in its stream. */
  id: string;
  type: WebhookEventType;
  companyId: string;
  resource: ResourceKind;
  resourceId: string;
  /** Unix seconds of the domain event. */
  created: number;
}

export function webhookFactOf(event: RecordedEvent): WebhookFact | undefined {
  const source = SOURCES[event.type];
  const data = event.data as Record<string, unknown>;
  const companyId = data.companyId;
  const resourceId = source && data[source.idField];
  if (!source || typeof companyId !== 'string' || typeof resourceId !== 'string') return undefined;
  return {
    id: `evt_${digest(`${event.streamId}@${event.version}`)}`,
    type: source.type,
    companyId,
    resource: source.resource,
    resourceId,
    created: Math.floor(event.occurredAt.getTime() / 1000),
  };
}

/** One delivery per endpoint and event: a replayed reaction finds the same id. */
export const deliveryIdOf = (endpointId: string, eventId: string): string => `wd_${digest(`${endpointId}/${eventId}`)}`;

/** Deliveries of one resource to one endpoint go out in order; this is their queue key. */
export const resourceKeyOf = (fact: Pick<WebhookFact, 'resource' | 'resourceId'>): string => `${fact.resource}:${fact.resourceId}`;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 24);
