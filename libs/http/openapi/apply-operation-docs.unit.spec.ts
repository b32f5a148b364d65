import { describe, it, expect } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { applyOperationDocs } from './apply-operation-docs.js';
import type { ModuleOpenApi } from './operation-docs.js';

/** What `@Auth('admin')` adds to an operation (an extension, so not in OperationObject's type). */
const roles = { 'x-partnerflow-roles': ['admin'] };

const document = (): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/v1/things': {
      post: {
        ...roles,
        operationId: 'thingsCreate',
        responses: { '201': { description: '' }, '404': { description: 'no such thing' } },
      },
      get: { operationId: 'thingsList', responses: { '200': { description: '' } } },
    },
  },
  components: {},
});

const docs = (operations: ModuleOpenApi['operations']): ModuleOpenApi[] => [{ tags: [{ name: 'Things', description: 'things' }], operations }];
const entry = { summary: 's', description: 'd' };

describe('applyOperationDocs', () => {
  it('refuses an operation without an entry, naming it', () => {
    expect(() => applyOperationDocs(document(), docs({ thingsCreate: entry }))).toThrow(/thingsList \(GET \/v1\/things\) has no entry/);
  });

  it('refuses an entry of an operation that no longer exists', () => {
    expect(() => applyOperationDocs(document(), docs({ thingsCreate: entry, thingsList: entry, thingsDelete: entry }))).toThrow(
      /no longer exist: thingsDelete/,
    );
  });

  it('refuses an operation documented twice, or a tag its module does not have', () => {
    const twice = [...docs({ thingsCreate: entry }), { tags: [{ name: 'Other', description: 'o' }], operations: { thingsCreate: entry, thingsList: entry } }];
    expect(() => applyOperationDocs(document(), twice)).toThrow(/thingsCreate is documented twice/);
    expect(() => applyOperationDocs(document(), docs({ thingsCreate: { ...entry, tag: 'Nope' }, thingsList: entry }))).toThrow(/tag Nope/);
  });

  it('turns the roles into security, the "who" line, the idempotency header and the errors every keyed POST answers', () => {
    const doc = applyOperationDocs(document(), docs({ thingsCreate: { ...entry, errors: { 409: '`thing_exists`: there is one' } }, thingsList: entry })) as any;
    const create = doc.paths['/v1/things'].post;
    expect(create['x-partnerflow-roles']).toBeUndefined();
    expect(create.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(create.description).toMatch(/^\*\*Who:\*\* a company \*\*admin\*\* key/);
    expect(create.parameters).toEqual([{ $ref: '#/components/parameters/IdempotencyKey' }]);
    expect(create.responses['404'].description).toBe('- no such thing');
    expect(create.responses['409'].description).toBe(
      '- `thing_exists`: there is one\n- `idempotency_key_in_use`: a request with this `Idempotency-Key` is still running; retry after `Retry-After`',
    );
    expect(create.responses['409'].content['application/problem+json'].example).toMatchObject({
      status: 409,
      code: 'thing_exists',
      type: 'https://partnerflow.dev/problems/thing_exists',
    });
    expect(Object.keys(create.responses)).toEqual(['201', '400', '401', '403', '404', '409', '422', '429', '500', '503']);
    const list = doc.paths['/v1/things'].get;
    expect(list.security).toEqual([]);
    expect(list.parameters).toBeUndefined();
    expect(list.description).toMatch(/^\*\*Who:\*\* anyone/);
  });
});
