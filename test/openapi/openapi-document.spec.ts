import { describe, it, expect, beforeAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { offlineOpenApiDocument } from '../../src/openapi-offline.js';

const root = new URL('../../', import.meta.url).pathname;
type Json = Record<string, any>;

/** What a client developer reads: the document the app serves at /docs-json and the typed client is generated from. */
describe('the OpenAPI document', () => {
  let doc: OpenAPIObject;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Json>).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
    );

  beforeAll(async () => {
    doc = await offlineOpenApiDocument();
  });

  it('passes redocly lint with the recommended rules: no error, no warning (one reviewed exception)', () => {
    // The committed document (the typed client's source) is the one linted, so .redocly.lint-ignore.yaml can name it.
    const committed = join(root, 'clients/typescript/openapi.json');
    expect(JSON.parse(readFileSync(committed, 'utf8'))).toEqual(doc);
    const lint = spawnSync(
      process.execPath,
      [join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', 'clients/typescript/openapi.json', '--format=json', '--config', 'redocly.yaml'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        timeout: 60_000,
      },
    );
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 1 });
  });

  it('gives every operation a summary, a description saying who may call it, and one of its module’s tags', () => {
    const tags = new Set((doc.tags ?? []).map((t) => t.name));
    for (const { key, op } of operations()) {
      expect({ key, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({ key, summary: true });
      expect({ key, who: /^\*\*Who:\*\* /.test(op.description ?? '') }).toEqual({ key, who: true });
      expect({ key, tags: op.tags?.length === 1 && tags.has(op.tags[0]) }).toEqual({ key, tags: true });
    }
  });

  it('shows an example of every JSON request body and success answer, amounts in minor units with lower-case currencies', () => {
    const currencies: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) k === 'currency' || k === 'base' || k === 'quote' ? currencies.push(String(x)) : collect(x);
    };
    for (const { key, op } of operations()) {
      const body = op.requestBody?.content?.['application/json'];
      if (body) expect({ key, request: body.example !== undefined }).toEqual({ key, request: true });
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        const json = response.content?.['application/json'];
        if (status.startsWith('2') && json) expect({ key, status, example: json.example !== undefined }).toEqual({ key, status, example: true });
      }
      collect([body?.example, Object.values(op.responses as Record<string, Json>).map((r) => r.content?.['application/json']?.example)]);
    }
    expect(currencies.length).toBeGreaterThan(20);
    expect(currencies.filter((c) => !/^[a-z]{3}$/.test(c))).toEqual([]);
  });

  it('answers every error status with the problem+json schema', () => {
    for (const { key, op } of operations()) {
      const errors = Object.entries(op.responses as Record<string, Json>).filter(([status]) => Number(status) >= 400);
      expect({ key, has4xx: errors.some(([s]) => s.startsWith('4')) }).toEqual({ key, has4xx: true });
      for (const [status, response] of errors) {
        if ((key === 'GET /health' || key === 'GET /health/ready') && status === '503') continue; // the health answer itself, not a problem
        expect({ key, status, schema: response.content?.['application/problem+json']?.schema }).toEqual({
          key,
          status,
          schema: { $ref: '#/components/schemas/Problem' },
        });
      }
    }
    expect(doc.components?.schemas?.Problem).toMatchObject({
      required: ['type', 'title', 'status'],
      properties: { code: { type: 'string' }, errors: { type: 'array' } },
    });
  });

  it('describes the keys as what they are: a Bearer API key (not a JWT), and the console’s session cookie', () => {
    expect(doc.components?.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', description: expect.stringContaining('not JWTs') },
      session: { type: 'apiKey', in: 'cookie', name: 'pf_session', description: expect.any(String) },
    });
    const security = Object.fromEntries(operations().map(({ key, op }) => [key, op.security]));
    expect(security['POST /v1/companies']).toEqual([{ bearer: [] }]);
    expect(security['POST /v1/partners']).toEqual([{ bearer: [] }, { session: [] }]);
    expect(security['GET /v1/portal/me']).toEqual([{ bearer: [] }, { session: [] }]);
    expect(security['POST /v1/webhooks/stripe/{companyId}']).toEqual([]);
    expect(security['GET /health']).toEqual([]);
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.info.license).toMatchObject({ name: expect.stringContaining('No license') });
    expect(JSON.stringify(doc)).not.toContain('x-partnerflow-roles');
  });

  it('takes an Idempotency-Key on every authenticated POST, and nowhere else', () => {
    const keyed = operations().filter(({ op }) => (op.parameters ?? []).some((p: Json) => p.$ref === '#/components/parameters/IdempotencyKey'));
    const expected = operations().filter(({ method, op }) => method === 'post' && op.security.length > 0);
    expect(keyed.map((o) => o.key).sort()).toEqual(expected.map((o) => o.key).sort());
    expect(keyed.map((o) => o.key)).toEqual(
      expect.arrayContaining([
        'POST /v1/partners',
        'POST /v1/leads',
        'POST /v1/invoices/generate',
        'POST /v1/invoices/{id}/pay',
        'POST /v1/leads/stripe-customers/bulk',
      ]),
    );
    expect(keyed.map((o) => o.key)).not.toEqual(expect.arrayContaining(['POST /v1/webhooks/stripe-platform']));
    for (const { key, op } of keyed) {
      const success = Object.entries(op.responses as Record<string, Json>).filter(([s]) => s.startsWith('2'));
      expect({ key, replayHeader: success.every(([, r]) => r.headers?.['Idempotent-Replayed']) }).toEqual({ key, replayHeader: true });
      expect({
        key,
        inUse: op.responses['409']?.description?.includes('idempotency_key_in_use'),
        reused: op.responses['422']?.description?.includes('idempotency_key_reused'),
      }).toEqual({ key, inUse: true, reused: true });
    }
    expect(doc.components?.parameters?.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false, schema: { maxLength: 255 } });
  });
});
