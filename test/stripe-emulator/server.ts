import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StripeApiError, invalidRequest, unrecognizedUrl } from './errors.js';
import { recordEvent } from './events.js';
import { DEFAULT_API_VERSION } from './versions.js';
import { expandObject } from './expand.js';
import { faultResponse, takeFault } from './faults.js';
import { parseForm } from './form.js';
import { newId } from './ids.js';
import { accountRoutes, visitOnboardingLink } from './resources/accounts.js';
import { customerRoutes } from './resources/customers.js';
import { eventRoutes } from './resources/events.js';
import { invoicePaymentRoutes } from './resources/invoice-payments.js';
import { discountRoutes } from './resources/discounts.js';
import { paymentIntentRoutes } from './resources/payment-intents.js';
import { paymentMethodRoutes } from './resources/payment-methods.js';
import { setupIntentRoutes } from './resources/setup-intents.js';
import { webhookEndpointRoutes } from './resources/webhook-endpoints.js';
import { Router, type Ctx } from './router.js';
import { STRIPE_JS_STAND_IN } from './stripe-js.js';
import { PLATFORM, type EmulatorState } from './state.js';
import type { FaultSpec } from './types.js';

const router = new Router([
  ...customerRoutes,
  ...paymentMethodRoutes,
  ...setupIntentRoutes,
  ...accountRoutes,
  ...paymentIntentRoutes,
  ...eventRoutes,
  ...invoicePaymentRoutes,
  ...webhookEndpointRoutes,
  ...discountRoutes,
]);

interface Reply {
  status: number;
  json: string;
  headers?: Record<string, string>;
}

/** Pending fault delays, cut short when the server closes. */
export class Sleeper {
  private readonly pending = new Set<() => void>();

  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(true), ms);
      const finish = (completed: boolean) => {
        clearTimeout(timer);
        this.pending.delete(abort);
        resolve(completed);
      };
      const abort = () => finish(false);
      this.pending.add(abort);
    });
  }

  abortAll(): void {
    for (const abort of [...this.pending]) abort();
  }
}

export function createEmulatorServer(state: EmulatorState, sleeper: Sleeper): Server {
  return createServer((req, res) => {
    handle(state, sleeper, req, res).catch((err: unknown) => {
      send(res, { status: 500, json: JSON.stringify({ error: { type: 'api_error', message: `Emulator failure: ${String(err)}` } }) });
    });
  });
}

async function handle(state: EmulatorState, sleeper: Sleeper, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = url.pathname;
  const body = await readBody(req);
  const headers = flattenHeaders(req);
  const params = method === 'POST' ? parseForm(body) : parseForm(url.search.slice(1));
  const requestId = newId('req', 14);
  const idempotencyKey = headers['idempotency-key'];
  const stripeAccount = headers['stripe-account'];
  state.requests.push({
    method,
    path,
    headers,
    params,
    requestId,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(stripeAccount ? { account: stripeAccount } : {}),
  });

  if (method === 'GET' && (path === '/v3' || path === '/v3/')) {
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-cache' });
    res.end(STRIPE_JS_STAND_IN);
    return;
  }

  const onboarding = /^\/connect\/onboarding\/([^/]+)\/([^/]+)$/.exec(path);
  if (method === 'GET' && onboarding) {
    const location = visitOnboardingLink(state, onboarding[1], onboarding[2]);
    res.writeHead(location ? 302 : 404, location ? { Location: location } : { 'Content-Type': 'text/plain' });
    res.end(location ? '' : 'Unknown account link');
    return;
  }

  const common: Record<string, string> = {
    'Request-Id': requestId,
    'Stripe-Version': headers['stripe-version'] ?? DEFAULT_API_VERSION,
    ...(method === 'POST' && idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
  };
  const reply = (r: Reply) => send(res, { ...r, headers: { ...common, ...r.headers } });
  const errorReply = (err: StripeApiError): Reply => ({ status: err.status, json: JSON.stringify({ error: err.body }) });
  const faultReply = (fault: FaultSpec): Reply => {
    const f = faultResponse(fault);
    return { status: f.status, json: JSON.stringify(f.body), headers: f.headers };
  };

  try {
    const { key, publishable } = authenticate(headers, params, method, path);
    if (method === 'POST' && headers['content-type'] && !headers['content-type'].includes('application/x-www-form-urlencoded')) {
      throw invalidRequest(
        'Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.',
      );
    }
    const account = stripeAccount ?? PLATFORM;
    if (stripeAccount && !state.isKnownAccount(stripeAccount)) throw accountInvalid(stripeAccount, headers);
    state.restrictedKeys.check(key, method, path, stripeAccount ?? PLATFORM_ACCOUNT_ID);

    const fault = takeFault(state, method, path);
    if (fault?.status && !fault.afterEffect) {
      if (fault.delayMs && !(await sleeper.sleep(fault.delayMs))) return;
      return reply(faultReply(fault));
    }

    const route = router.match(method, path);
    if (!route) throw unrecognizedUrl(method, path);

    const keyed = method === 'POST' && idempotencyKey !== undefined;
    if (keyed) {
      const stored = state.idempotency.begin(account, idempotencyKey, `${method} ${path}`, params);
      if (stored) return reply({ status: stored.status, json: stored.json, headers: { 'Idempotent-Replayed': 'true', 'Original-Request': stored.requestId } });
    }

    let result: Reply;
    try {
      if (fault?.delayMs && !(await sleeper.sleep(fault.delayMs))) return;
      const ctx: Ctx = {
        state,
        method,
        path,
        params,
        account,
        requestId,
        idempotencyKey,
        apiVersion: common['Stripe-Version'],
        publishable,
        emit: (type, object, opts) =>
          recordEvent(state, opts?.account ?? account, type, object, {
            apiVersion: common['Stripe-Version'],
            requestId,
            idempotencyKey: method === 'POST' ? (idempotencyKey ?? null) : null,
            previousAttributes: opts?.previousAttributes,
          }),
      };
      let executed = true;
      try {
        const out = route.handler(ctx, ...route.ids);
        result = { status: 200, json: JSON.stringify(expandObject(state, out, params.expand)) };
      } catch (err) {
        if (!(err instanceof StripeApiError)) throw err;
        executed = err.executed;
        result = errorReply(err);
      }
      if (keyed && executed) state.idempotency.complete(account, idempotencyKey, { status: result.status, json: result.json, requestId });
    } finally {
      if (keyed) state.idempotency.release(account, idempotencyKey);
    }
    return reply(fault?.status ? faultReply(fault) : result);
  } catch (err) {
    if (err instanceof StripeApiError) return reply(errorReply(err));
    throw err;
  }
}

/** Routes Stripe.js calls with the publishable key and the object's client secret. */
const PUBLISHABLE_ROUTES = [/^\/v1\/setup_intents\/[^/]+\/confirm$/];

/** Checks the key; answers it and whether it is a publishable key (sent as Stripe.js does, as the form field `key`). */
function authenticate(headers: Record<string, string>, params: Record<string, any>, method: string, path: string): { key: string; publishable: boolean } {
  const auth = headers.authorization;
  let key: string | undefined;
  if (auth && /^bearer\s+/i.test(auth)) key = auth.replace(/^bearer\s+/i, '').trim();
  else if (auth && /^basic\s+/i.test(auth))
    key = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64')
      .toString('utf8')
      .split(':')[0];
  else if (method === 'POST' && typeof params.key === 'string') key = params.key;
  const unauthorized = (message: string) => new StripeApiError(401, { type: 'invalid_request_error', message });
  if (!key) {
    throw unauthorized(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (/^pk_/.test(key)) {
    if (!/^pk_test_[A-Za-z0-9_]+$/.test(key)) throw unauthorized(`Invalid API Key provided: ${redact(key)}`);
    if (method === 'POST' && PUBLISHABLE_ROUTES.some((r) => r.test(path))) {
      delete params.key;
      return { key, publishable: true };
    }
    throw unauthorized(
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
    );
  }
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) throw unauthorized(`Invalid API Key provided: ${redact(key)}`);
  return { key, publishable: false };
}

/** The account id error messages name for requests without Stripe-Account. */
const PLATFORM_ACCOUNT_ID = 'acct_1EmulatorPlatform';

function redact(key: string): string {
  const prefix = /^[a-z]{2}_(test|live)_/.exec(key)?.[0] ?? '';
  return key.length <= prefix.length + 4 ? key : `${prefix}${'*'.repeat(key.length - prefix.length - 4)}${key.slice(-4)}`;
}

function accountInvalid(account: string, headers: Record<string, string>): StripeApiError {
  const key = (headers.authorization ?? '').replace(/^bearer\s+/i, '');
  return new StripeApiError(403, {
    type: 'invalid_request_error',
    code: 'account_invalid',
    message: `The provided key '${redact(key)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(reply.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(reply.json),
    'Access-Control-Allow-Origin': '*',
    ...reply.headers,
  });
  res.end(reply.json);
}
