import { describe, it, expect } from '@jest/globals';
import {
  decideCreateEndpoint,
  decideDeleteEndpoint,
  decideDisableEndpoint,
  evolveWebhookEndpoint,
  initialWebhookEndpoint,
  MAX_ENDPOINTS_PER_COMPANY,
  type WebhookEndpointEvent,
} from './webhook-endpoint.js';

const given = (...events: WebhookEndpointEvent[]) => events.reduce(evolveWebhookEndpoint, initialWebhookEndpoint);
const ids = { companyId: 'co_1', endpointId: 'we_1' };
const created: WebhookEndpointEvent = {
  type: 'WebhookEndpointCreated',
  data: { ...ids, url: 'https://x.test/', events: ['invoice.paid'], description: null, secretEncrypted: 'v1.x' },
};
const disable = { ...ids, reason: 'last answer 500', deliveryId: 'wd_1', eventId: 'evt_1', disabledAt: '2026-12-04T00:00:00.000Z' };

describe('webhook endpoint decisions', () => {
  it('creates once, within the per-company limit', () => {
    expect(decideCreateEndpoint(initialWebhookEndpoint, created.data, 0)).toEqual([created]);
    expect(() => decideCreateEndpoint(given(created), created.data, 0)).toThrow(/already exists/);
    expect(() => decideCreateEndpoint(initialWebhookEndpoint, created.data, MAX_ENDPOINTS_PER_COMPANY)).toThrow(/at most 16/);
  });

  it('disables an enabled endpoint once, naming its URL; a second verdict changes nothing', () => {
    expect(decideDisableEndpoint(given(created), disable)).toEqual([{ type: 'WebhookEndpointDisabled', data: { ...disable, url: 'https://x.test/' } }]);
    const disabled = given(created, { type: 'WebhookEndpointDisabled', data: { ...disable, url: 'https://x.test/' } });
    expect(disabled.status).toBe('disabled');
    expect(decideDisableEndpoint(disabled, disable)).toEqual([]);
    expect(decideDisableEndpoint(given(created, { type: 'WebhookEndpointDeleted', data: ids }), disable)).toEqual([]);
  });

  it('deletes what exists; an unknown or deleted endpoint is a 404', () => {
    expect(decideDeleteEndpoint(given(created), ids)).toEqual([{ type: 'WebhookEndpointDeleted', data: ids }]);
    expect(() => decideDeleteEndpoint(initialWebhookEndpoint, ids)).toThrow(/not found/);
    expect(() => decideDeleteEndpoint(given(created, { type: 'WebhookEndpointDeleted', data: ids }), ids)).toThrow(/not found/);
  });
});
