import type { Event } from '../../../libs/event-store/event-store.port.js';
import { conflict, notFound } from '../../../libs/http/domain-error.js';
import type { WebhookEventType } from './webhook-event-types.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

export const webhookEndpointStream = (companyId: string, endpointId: string) => `webhookendpoint-${companyId}-${endpointId}`;

/** Stripe's limit, and ours: one company cannot make the sender's work (or its own mess) unbounded. */
export const MAX_ENDPOINTS_PER_COMPANY = 16;

/** The signing secret travels only encrypted (AES-256-GCM): events are immutable and must never hold it in clear. */
export type WebhookEndpointCreated = {
  type: 'WebhookEndpointCreated';
  data: { companyId: string; endpointId: string; url: string; events: WebhookEventType[]; description: string | null; secretEncrypted: string };
};
export type WebhookEndpointDeleted = { type: 'WebhookEndpointDeleted'; data: { companyId: string; endpointId: string } };
/** Deliveries kept failing for the whole retry window: no more are sent until a new endpoint is made. */
export type WebhookEndpointDisabled = {
  type: 'WebhookEndpointDisabled';
  data: { companyId: string; endpointId: string; url: string; reason: string; deliveryId: string; eventId: string; disabledAt: string };
};
export type WebhookEndpointEvent = WebhookEndpointCreated | WebhookEndpointDeleted | WebhookEndpointDisabled;

export interface WebhookEndpointState {
  status: 'none' | 'enabled' | 'disabled' | 'deleted';
  url: string;
}

export const initialWebhookEndpoint: WebhookEndpointState = { status: 'none', url: '' };

const isWebhookEndpointEvent = isEventOf<WebhookEndpointEvent>()('WebhookEndpointCreated', 'WebhookEndpointDeleted', 'WebhookEndpointDisabled');

export function evolveWebhookEndpoint(state: WebhookEndpointState, e: Event): WebhookEndpointState {
  if (!isWebhookEndpointEvent(e)) return state;
  switch (e.type) {
    case 'WebhookEndpointCreated':
      return { status: 'enabled', url: e.data.url };
    case 'WebhookEndpointDisabled':
      return state.status === 'enabled' ? { ...state, status: 'disabled' } : state;
    case 'WebhookEndpointDeleted':
      return { ...state, status: 'deleted' };
    default:
      return state;
  }
}

export function decideCreateEndpoint(state: WebhookEndpointState, data: WebhookEndpointCreated['data'], endpointsOfCompany: number): WebhookEndpointCreated[] {
  if (state.status !== 'none') throw conflict('endpoint_exists', `webhook endpoint ${data.endpointId} already exists`);
  if (endpointsOfCompany >= MAX_ENDPOINTS_PER_COMPANY) {
    throw conflict('too_many_endpoints', `a company can have at most ${MAX_ENDPOINTS_PER_COMPANY} webhook endpoints: delete one first`);
  }
  return [{ type: 'WebhookEndpointCreated', data }];
}

export function decideDeleteEndpoint(state: WebhookEndpointState, ids: { companyId: string; endpointId: string }): WebhookEndpointDeleted[] {
  if (state.status === 'none' || state.status === 'deleted') throw notFound('webhook endpoint', ids.endpointId);
  return [{ type: 'WebhookEndpointDeleted', data: ids }];
}

/** Only an enabled endpoint is disabled; a second sender reaching the same verdict changes nothing. */
export function decideDisableEndpoint(state: WebhookEndpointState, data: Omit<WebhookEndpointDisabled['data'], 'url'>): WebhookEndpointDisabled[] {
  return state.status === 'enabled' ? [{ type: 'WebhookEndpointDisabled', data: { ...data, url: state.url } }] : [];
}
