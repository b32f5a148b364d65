import type { OpenAPIObject } from '@nestjs/swagger';
import { ROLES_EXTENSION, type ModuleOpenApi, type OperationDoc } from './operation-docs.js';
import { problemExample, problemSchema } from './problem-schema.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-header.js';

type Role = 'operator' | 'admin' | 'partner';
type Json = Record<string, any>;

const WHO: Record<Role, string> = {
  operator: 'the **operator** key',
  admin: 'a company **admin** key (or the console’s admin session)',
  partner: 'a **partner** key (or the partner portal’s session)',
};

const SUCCESS: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No Content' };

const IDEMPOTENCY =
  '**Idempotency:** send an `Idempotency-Key` (any unique string, e.g. a UUID) to retry safely: for 24 hours the first answer is ' +
  'replayed for the same key and body, with `Idempotent-Replayed: true`, and the request runs once. Answers that ask for a retry ' +
  '(5xx, 429, refused input) are not kept.';

/**
 * Adds each module's operation docs to the document Nest generated: summaries, descriptions (who may call, the
 * idempotency header), tags, examples, the security each route really has, and a problem+json answer for every error
 * status the operation can answer, those every route shares included. An operation without docs, or docs of an
 * operation that does not exist, throw: the document and the docs cannot drift apart.
 */
export function applyOperationDocs(doc: OpenAPIObject, modules: ModuleOpenApi[]): OpenAPIObject {
  const docs = new Map<string, { entry: OperationDoc; tag: string }>();
  for (const m of modules) {
    for (const [id, entry] of Object.entries(m.operations)) {
      if (docs.has(id)) throw new Error(`operation ${id} is documented twice`);
      docs.set(id, { entry, tag: entry.tag ?? m.tags[0]!.name });
    }
  }
  const tags = new Map(modules.flatMap((m) => m.tags).map((t) => [t.name, t]));
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths) as [string, Json][]) {
    for (const [method, op] of Object.entries(item) as [string, Json][]) {
      const found = docs.get(op.operationId);
      if (!found) throw new Error(`operation ${op.operationId} (${method.toUpperCase()} ${path}) has no entry in its module's *.openapi.ts`);
      if (!tags.has(found.tag)) throw new Error(`operation ${op.operationId}: tag ${found.tag} is not one of its module's tags`);
      seen.add(op.operationId);
      document(doc, path, method, op, found.entry, found.tag);
    }
  }
  const stale = [...docs.keys()].filter((id) => !seen.has(id));
  if (stale.length) throw new Error(`documented operations that no longer exist: ${stale.join(', ')}`);
  doc.tags = [...tags.values()];
  for (const schema of Object.values(doc.components?.schemas ?? {})) nullableRefs(schema as Json);
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Problem: problemSchema as never },
    parameters: { IdempotencyKey: idempotencyKeyParameter as never },
    headers: sharedHeaders as never,
  };
  return doc;
}

function document(doc: OpenAPIObject, path: string, method: string, op: Json, entry: OperationDoc, tag: string): void {
  const roles = op[ROLES_EXTENSION] as Role[] | undefined;
  delete op[ROLES_EXTENSION];
  const idempotent = method === 'post' && roles !== undefined;
  op.summary = entry.summary;
  op.tags = [tag];
  op.security = !roles ? [] : roles.every((r) => r === 'operator') ? [{ bearer: [] }] : [{ bearer: [] }, { session: [] }];
  const who = roles ? `**Who:** ${roles.map((r) => WHO[r]).join(', or ')}.` : '**Who:** anyone: no key.';
  op.description = [who, entry.description.trim(), idempotent ? IDEMPOTENCY : undefined].filter(Boolean).join('\n\n');
  op.parameters = dedupeHeaders(op.parameters ?? []);
  if (idempotent) op.parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  if (op.parameters.length === 0) delete op.parameters;

  const body = op.requestBody?.content?.['application/json'];
  if (entry.request !== undefined && !body) throw new Error(`operation ${op.operationId}: a request example, but no JSON request body`);
  if (body && entry.request !== undefined) body.example = entry.request;
  // Success statuses the entry names replace Nest's blank default (a route answering through @Res has no decorator).
  const named = Object.keys(entry.responses ?? {}).filter((st) => st.startsWith('2'));
  for (const st of Object.keys(op.responses).filter((k) => k.startsWith('2'))) {
    if (named.length && !named.includes(st) && !op.responses[st].description && !op.responses[st].content) delete op.responses[st];
  }
  for (const [status, example] of Object.entries(entry.responses ?? {})) {
    if (status.startsWith('2') && !op.responses[status])
      op.responses[status] = example === null ? { description: SUCCESS[status] ?? 'Success' } : { description: '' };
  }
  const successes = Object.keys(op.responses)
    .filter((s) => s.startsWith('2'))
    .sort();
  for (const status of successes) {
    const response = op.responses[status] as Json;
    if (!response.description) response.description = SUCCESS[status] ?? 'Success';
    const given = entry.responses?.[Number(status)];
    const example = given === null ? undefined : (given ?? (status === successes[0] ? entry.response : undefined));
    if (example !== undefined && !response.content) response.content = { 'application/json': { schema: { type: 'object' } } };
    const json = response.content?.['application/json'];
    if (json && example !== undefined) json.example = example;
    if (idempotent) response.headers = { ...response.headers, 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } };
  }

  const errors = errorLines(op, method, roles, idempotent, entry);
  for (const [status, lines] of [...errors].sort(([a], [b]) => a - b)) {
    const retry = entry.responses?.[status] === undefined && (status === 429 || status === 503 || lines.some((l) => l.startsWith('`idempotency_key_in_use`')));
    op.responses[String(status)] = {
      description: lines.map((l) => `- ${l}`).join('\n'),
      ...(retry ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
      // A status the entry gives an example answer for is not a problem (the health check's 503).
      content:
        entry.responses?.[status] !== undefined
          ? { 'application/json': { schema: { type: 'object' }, example: entry.responses[status] } }
          : {
              'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: problemExample(status, lines[0]!, firstField(doc, op)) },
            },
    };
  }
}

/** The errors an operation answers: its own, then those that come with its shape (body, query, key, idempotency). */
function errorLines(op: Json, method: string, roles: Role[] | undefined, idempotent: boolean, entry: OperationDoc): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const omitted = new Set<number>(entry.omitShared ?? []);
  const own = (status: number, ...lines: string[]) => out.set(status, [...new Set([...(out.get(status) ?? []), ...lines])]);
  const shared = (status: number, ...lines: string[]) => omitted.has(status) || own(status, ...lines);
  for (const [status, lines] of Object.entries(entry.errors ?? {})) own(Number(status), ...(Array.isArray(lines) ? lines : [lines!]));
  // What the controllers' own decorators say, unless the entry says it better.
  for (const [status, r] of Object.entries(op.responses) as [string, Json][]) {
    const s = Number(status);
    if (s >= 400 && !out.has(s) && ![401, 403].includes(s) && r.description) own(s, r.description);
    if (s >= 400) delete op.responses[status];
  }
  const hasBody = op.requestBody !== undefined;
  const hasQuery = (op.parameters ?? []).some((p: Json) => p.in === 'query');
  if (hasBody)
    shared(
      400,
      '`validation_failed`: a body field is missing, of the wrong type, out of range or unknown; `errors` names each',
      'no code: the body is not JSON',
    );
  else if (hasQuery) shared(400, '`validation_failed`: a query parameter is invalid; `errors` names it');
  shared(400, '`nul_character`, `malformed_url`, `malformed_unicode`: the URL or body holds a NUL character, bad percent-encoding or a lone surrogate');
  if (idempotent)
    shared(400, `\`invalid_idempotency_key\`: the \`Idempotency-Key\` is empty, longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters or not printable ASCII`);
  if (roles) {
    shared(401, '`unauthorized`: no key, or a key that is unknown, rotated away, or a deactivated partner’s');
    shared(403, `\`forbidden\`: a key of another kind (this route takes ${roles.join(' or ')} keys)`);
    if (method !== 'get' && roles.some((r) => r !== 'operator'))
      shared(403, '`foreign_origin`: signed in by the session cookie, but the `Origin` is not this app’s own');
    shared(429, '`too_many_failed_authentications`: this address failed to authenticate too often this minute; retry after `Retry-After`');
  }
  if (idempotent) shared(409, '`idempotency_key_in_use`: a request with this `Idempotency-Key` is still running; retry after `Retry-After`');
  if (hasBody) shared(413, 'no code: the body is larger than 1 MiB');
  if ((op.parameters ?? []).some((p: Json) => p.in === 'query' && p.name === 'cursor')) shared(422, '`invalid_field`: `cursor` is not one this API gave out');
  if (idempotent) shared(422, '`idempotency_key_reused`: this `Idempotency-Key` was used in the last 24 hours with another route or body');
  shared(500, 'no code: an unexpected error, logged on the server');
  if (entry.responses?.[503] === undefined) shared(503, '`unavailable`: the database or event store does not answer; retry after `Retry-After`');
  return out;
}

/**
 * `{allOf: [{$ref}], nullable: true}` (what Nest writes for a nullable object property) does not allow null in OpenAPI 3.0:
 * `nullable` needs a `type` beside it, and `allOf` applies to null too. `oneOf` with a null schema says it (`X | null`).
 */
function nullableRefs(schema: Json): void {
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    if (property.nullable === true && Array.isArray(property.allOf) && property.allOf.length === 1 && (property.type ?? 'object') === 'object') {
      const { allOf, nullable: _nullable, type: _type, ...rest } = property;
      schema.properties[name] = { ...rest, oneOf: [allOf[0], { type: 'object', nullable: true, enum: [null] }] };
    } else nullableRefs(property);
    if (property.items) nullableRefs(property.items);
  }
}

/** The first required field of the JSON request body, for the validation example. */
function firstField(doc: OpenAPIObject, op: Json): string | undefined {
  const ref = op.requestBody?.content?.['application/json']?.schema?.$ref as string | undefined;
  const schema = ref ? (doc.components?.schemas?.[ref.split('/').pop()!] as Json | undefined) : undefined;
  return schema?.required?.[0];
}

/** Header names are case-insensitive: `@Headers('stripe-signature')` and `@ApiHeader('Stripe-Signature')` are one header. */
function dedupeHeaders(params: Json[]): Json[] {
  const byName = new Map<string, Json>();
  const out: Json[] = [];
  for (const p of params) {
    if (p.in !== 'header') {
      out.push(p);
      continue;
    }
    const key = String(p.name).toLowerCase();
    const prior = byName.get(key);
    if (!prior) out.push(p);
    else if (!prior.description && p.description) out.splice(out.indexOf(prior), 1, p);
    else continue;
    byName.set(key, p);
  }
  return out;
}

const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    `Makes a retry safe (Stripe’s convention): a unique string of 1–${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, e.g. a UUID. ` +
    'Keys are scoped to the caller (the operator, a company’s admins, a partner) and kept 24 hours.',
  schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: '^[\\x20-\\x7E]+$' },
  example: '3c9ae5ea-980f-4ebd-a027-04529942b95e',
};

const sharedHeaders = {
  IdempotentReplayed: {
    description: '`true` when this is the kept answer of an earlier request with the same `Idempotency-Key`',
    schema: { type: 'string', enum: ['true'] },
  },
  RetryAfter: { description: 'seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
};
