import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

/** The health check. */
export const healthOpenApi: ModuleOpenApi = {
  tags: [{ name: 'Health', description: 'Whether the server and what it depends on answer.' }],
  operations: {
    health: {
      summary: 'Health',
      description:
        'Liveness and readiness in one: 200 `ok` (or `degraded` when a projection or reactor has parked events or cannot process its ' +
        'pages), 503 when the database or event store does not answer within 2 s.',
      response: { status: 'ok', database: 'up', eventStore: { adapter: 'postgres', status: 'up' }, projections: { lag: 0, failed: [], parked: {} } },
      responses: { 503: { status: 'unavailable', database: 'down', eventStore: { adapter: 'postgres', status: 'up' }, projections: { error: 'timeout' } } },
      errors: { 503: 'the database or event store does not answer: the health answer (not a problem) says which' },
    },
  },
};
