import request from 'supertest';
import type { RunningApp } from '../../src/bootstrap.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Role = 'operator' | 'admin' | 'partner' | 'public';

export interface Schema {
  type?: string;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  additionalProperties?: Schema | boolean;
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface Route {
  method: Method;
  /** The OpenAPI template, e.g. `/v1/partners/{id}`. */
  path: string;
  /** `GET /v1/partners/{id}`: the key the explicit tables below use. */
  key: string;
  pathParams: string[];
  query: Param[];
  /** The JSON request body schema, dereferenced; undefined when the route documents none. */
  body?: Schema;
  /** The document says the route needs a bearer key. */
  secured: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Param[]; security?: unknown[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Every route the running app documents at /docs-json, so suites cover routes as they land. */
export async function discoverRoutes(app: RunningApp): Promise<Route[]> {
  const res = await request(app.app.getHttpServer()).get('/docs-json').expect(200);
  const doc = res.body as OpenApiDoc;
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      routes.push({
        method: method as Method,
        path,
        key: `${method.toUpperCase()} ${path}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ ...p, schema: p.schema && deref(doc, p.schema) })),
        body: schema && deref(doc, schema),
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return routes;
}

/** Resolves `$ref` and `allOf` recursively, so generators see plain schemas. */
function deref(doc: OpenApiDoc, schema: Schema, depth = 0): Schema {
  if (depth > 10) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return deref(doc, { ...doc.components?.schemas?.[name], ...withoutKeys(schema, ['$ref']) }, depth + 1);
  }
  let out: Schema = { ...schema };
  if (schema.allOf) {
    out = withoutKeys(out, ['allOf']);
    for (const part of schema.allOf) {
      const d = deref(doc, part, depth + 1);
      out = { ...d, ...out, properties: { ...d.properties, ...out.properties }, required: [...(d.required ?? []), ...(out.required ?? [])] };
    }
  }
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, deref(doc, v, depth + 1)]));
  if (out.items) out.items = deref(doc, out.items, depth + 1);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = deref(doc, out.additionalProperties, depth + 1);
  return out;
}

function withoutKeys<T extends object>(o: T, keys: string[]): T {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as T;
}

/** Routes whose callers the path rule below would get wrong (SPEC §7 plus what landed since). */
const ROLE_EXCEPTIONS: Record<string, Role[]> = {
  'GET /v1/fx-rates': ['operator', 'admin'],
  // console sign-in and sign-out need no key (sign-out works for an expired session too)
  'POST /v1/sessions': ['public'],
  'DELETE /v1/sessions/current': ['public'],
  'GET /v1/sessions/current': ['admin', 'partner'],
};

/**
 * Who may call a route. /docs-json says only "bearer", so the SPEC's rule decides: the operator owns
 * companies, FX rates, /v1/admin and /metrics; partners own /v1/portal; Stripe's webhooks, health, docs and the
 * tracking routes are public; everything else is a company admin's.
 */
export function rolesOf(route: Pick<Route, 'key' | 'path'>): Role[] {
  const exception = ROLE_EXCEPTIONS[route.key];
  if (exception) return exception;
  const p = route.path;
  if (p === '/health' || p.startsWith('/health/') || p.startsWith('/docs') || p.startsWith('/v1/webhooks/')) return ['public'];
  // Referral links, the tracking script and its endpoints (SPEC §10): visitors' browsers, no key (a publishable key in the body).
  if (p.startsWith('/r/') || p.startsWith('/js/') || p.startsWith('/v1/track/')) return ['public'];
  if (p === '/v1/companies' || p.startsWith('/v1/companies/') || p.startsWith('/v1/fx-rates') || p.startsWith('/v1/admin/') || p === '/metrics')
    return ['operator'];
  if (p.startsWith('/v1/portal/')) return ['partner'];
  return ['admin'];
}

export const isWebhook = (route: Pick<Route, 'path'>) => route.path.startsWith('/v1/webhooks/');

/** A value the schema accepts, from its example, enum or type: what a well-behaved client sends. */
export function exampleOf(schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return 'example';
    case 'number':
    case 'integer':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      if (!schema.properties) return {};
      return Object.fromEntries((schema.required ?? []).map((k) => [k, exampleOf(schema.properties![k])]));
  }
}

/** Required query parameters filled with their examples (e.g. `GET /v1/fx-rates?from=&to=&at=`). */
export function requiredQuery(route: Route): string {
  const parts = route.query.filter((q) => q.required).map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(String(exampleOf(q.schema)))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Fills `{param}` placeholders; throws naming the route when a value is missing, so new routes get a fixture. */
/** Routes that replace or disable the caller's own keys: the matrix and fuzzers, which keep using those keys, do not call them. */
export const changesKeys = (r: Route): boolean => /\/api-keys?\/rotate$|\/(de|re)activate$/.test(r.path);

export function fillPath(route: Route, values: Record<string, string>): string {
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${route.key}: no value for path parameter {${name}}: add it to the fixture ids`);
    return encodeURIComponent(v);
  });
}
