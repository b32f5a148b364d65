import { invalidRequest, noSuch } from '../errors.js';
import { newId, nowSeconds, randomString } from '../ids.js';
import { paginate } from '../list.js';
import { allowOnly, mergeMetadata, optBool, optString, optStringArray, requireString } from '../params.js';
import type { Route } from '../router.js';
import { PLATFORM, type EmulatorState } from '../state.js';
import { signWebhookPayload } from '../signature.js';
import type { Obj, StripeEvent } from '../types.js';

export interface WebhookEndpointInit {
  url: string;
  /** true: a Connect endpoint, which receives connected accounts' events (those with `account`), and only those. */
  connect?: boolean;
  enabledEvents?: string[];
  apiVersion?: string | null;
  /** The signing secret; Stripe makes one up (`whsec_…`) when absent. */
  secret?: string;
}

export interface Delivery {
  endpoint: string;
  url: string;
  status: number;
  body: string;
}

/** Registers an endpoint as `POST /v1/webhook_endpoints` does; the `secret` is shown on creation only. */
export function createWebhookEndpoint(state: EmulatorState, o: WebhookEndpointInit): Obj {
  const secret = o.secret ?? `whsec_${randomString(32)}`;
  const endpoint = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: o.apiVersion ?? null,
    application: null,
    created: nowSeconds(),
    description: null,
    enabled_events: o.enabledEvents ?? ['*'],
    livemode: false,
    metadata: {},
    status: 'enabled',
    url: o.url,
  };
  state.put('webhook_endpoints', endpoint);
  state.webhookSecrets.set(endpoint.id, { secret, connect: o.connect ?? false });
  return { ...endpoint, secret };
}

/**
 * Sends an event as Stripe does: to every enabled endpoint of its kind (a connected account's event, with
 * `account`, only to Connect endpoints; the platform's own only to account endpoints) that listens to its type,
 * signed with that endpoint's secret. Answers each endpoint's response.
 */
export async function deliverEvent(state: EmulatorState, event: StripeEvent): Promise<Delivery[]> {
  const payload = JSON.stringify(event);
  const deliveries: Delivery[] = [];
  for (const endpoint of state.list('webhook_endpoints', PLATFORM).reverse()) {
    const { secret, connect } = state.webhookSecrets.get(endpoint.id)!;
    const listens = endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(event.type);
    if (endpoint.status !== 'enabled' || !listens || connect !== Boolean(event.account)) continue;
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Stripe-Signature': signWebhookPayload(payload, secret),
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body: payload,
    });
    deliveries.push({ endpoint: endpoint.id, url: endpoint.url, status: res.status, body: await res.text() });
  }
  return deliveries;
}

export const webhookEndpointRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/webhook_endpoints',
    handler: (ctx) => {
      allowOnly(ctx.params, ['api_version', 'connect', 'description', 'enabled_events', 'metadata', 'url']);
      const url = requireString(ctx.params, 'url');
      if (!/^https?:\/\//.test(url)) throw invalidRequest('Invalid URL: URL must be publicly accessible.', 'url', 'url_invalid');
      const enabledEvents = optStringArray(ctx.params, 'enabled_events');
      if (!enabledEvents?.length) throw invalidRequest('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
      const endpoint = createWebhookEndpoint(ctx.state, {
        url,
        connect: optBool(ctx.params, 'connect') ?? false,
        enabledEvents,
        apiVersion: optString(ctx.params, 'api_version') ?? null,
      });
      const stored = ctx.state.get('webhook_endpoints', endpoint.id)!;
      stored.description = optString(ctx.params, 'description') ?? null;
      stored.metadata = mergeMetadata({}, ctx.params);
      return { ...stored, secret: endpoint.secret };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/webhook_endpoints/:id',
    handler: (ctx, id) =>
      ctx.state.get('webhook_endpoints', id, PLATFORM) ??
      (() => {
        throw noSuch('webhook_endpoint', id);
      })(),
  },
  {
    method: 'GET',
    pattern: '/v1/webhook_endpoints',
    handler: (ctx) => {
      allowOnly(ctx.params, ['ending_before', 'limit', 'starting_after']);
      return paginate(ctx.state.list('webhook_endpoints', PLATFORM), ctx.params, '/v1/webhook_endpoints', 'webhook_endpoint');
    },
  },
];
