import type { EmulatorState } from './state.js';
import type { Obj, Params } from './types.js';

export interface Ctx {
  state: EmulatorState;
  method: string;
  path: string;
  params: Params;
  /** Account namespace of the request: PLATFORM, or the `Stripe-Account` header. */
  account: string;
  requestId: string;
  idempotencyKey?: string;
  apiVersion: string;
  /** The request used a publishable key (as Stripe.js does): only client-secret routes accept it. */
  publishable: boolean;
  /** Records an event caused by this request, in the request's account unless `account` is given. */
  emit(type: string, object: Obj, opts?: { previousAttributes?: Obj; account?: string }): void;
}

export type Handler = (ctx: Ctx, ...pathIds: string[]) => Obj;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: string;
  handler: Handler;
}

interface Compiled extends Route {
  regex: RegExp;
}

export class Router {
  private readonly routes: Compiled[];

  constructor(routes: Route[]) {
    this.routes = routes.map((r) => ({ ...r, regex: new RegExp(`^${r.pattern.replace(/:[a-z_]+/g, '([^/]+)')}/?$`) }));
  }

  match(method: string, path: string): { handler: Handler; ids: string[] } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.regex.exec(path);
      if (m) return { handler: route.handler, ids: m.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  }
}
