import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

const projection = {
  name: 'payments',
  kind: 'projection',
  status: 'running',
  position: 1532,
  checkpoint: '1532/1532',
  lag: 0,
  checksum: '356ebff0959961e28f7500a3fb745375',
  lastError: null,
  parked: 0,
};
const parked = {
  id: '41',
  subscriber: 'commissions',
  kind: 'projection',
  status: 'parked',
  globalPosition: 1204,
  streamId: 'payment-co_9e00b0f27efa478ebf6e1a1a43eaaec1-pay_cf597d85b8069893bdbcf895',
  version: 3,
  eventType: 'PaymentRefunded',
  key: null,
  error: 'commission cm_pay_cf597d85b8069893bdbcf895 not found',
  attempts: 1,
  firstFailedAt: '2025-04-02T09:00:00.000Z',
  lastFailedAt: '2025-04-02T09:00:00.000Z',
  resolvedAt: null,
};
const settleErrors = {
  404: '`not_found`: no parked event with this id',
  409: [
    '`parked_event_waiting`: the event waits behind an earlier parked event of its stream; retry or skip that one first',
    '`parked_event_settled`: the event is already resolved or skipped',
  ],
};

/** The audit module's operations (stream history, projections, parked events). */
export const auditOpenApi: ModuleOpenApi = {
  tags: [
    {
      name: 'Audit and operations',
      description:
        'The event history behind every resource (admins), and for the operator: the read models’ status, their rebuild from the ' +
        'event store, and events a projection or reactor could not process.',
    },
  ],
  operations: {
    streamHistoryList: {
      summary: 'A resource’s event history',
      description:
        'Every event of a payment, lead, partner, invoice, commission or the company itself, in order: the audit trail the read models ' +
        'are built from. `{type}` is one of `payment`, `lead`, `partner`, `invoice`, `commission`, `company`; `{id}` the resource’s id.',
      response: {
        data: [
          {
            streamId: 'lead-co_9e00b0f27efa478ebf6e1a1a43eaaec1-ld_8c93481bc3894de9844e9748e7c3beaf',
            type: 'LeadCreated',
            version: 1,
            globalPosition: 20,
            occurredAt: '2025-03-02T10:05:00.000Z',
            schemaVersion: 1,
            data: {
              companyId: 'co_9e00b0f27efa478ebf6e1a1a43eaaec1',
              leadId: 'ld_8c93481bc3894de9844e9748e7c3beaf',
              partnerId: 'pa_57d432fc6af54c62890c6697b709a97c',
              email: 'john@customer.example',
              name: 'John',
            },
          },
        ],
        nextCursor: null,
      },
      errors: { 404: '`not_found`: no such resource in the caller’s company' },
    },
    projectionsList: {
      summary: 'Projection and reactor status',
      description:
        'Every projection (read model) and reactor: `running`, `rebuilding` or `failed`, its position in the event log, `lag` (events ' +
        'not applied yet), the read model’s `checksum` (equal after a rebuild when the projection is deterministic), the last error and ' +
        'the number of parked events.',
      response: { data: [projection, { ...projection, name: 'commission_earner', kind: 'reactor', checksum: null }] },
    },
    rebuildProjections: {
      summary: 'Rebuild projections',
      description:
        'Truncates the named read models (all when `names` is omitted) and replays them from the start of the event store; answers at ' +
        'once with them `rebuilding`: follow progress on `GET /v1/admin/projections`. Reactors are never replayed (their side effects ' +
        'happened), and the event store is not touched.',
      request: { names: ['payments', 'commissions'] },
      response: { data: [{ ...projection, status: 'rebuilding', position: 0, checkpoint: '0/0', lag: 1532, checksum: null }] },
      errors: { 422: '`invalid_field`: a name that is not a projection; nothing was reset' },
    },
    parkedEventsList: {
      summary: 'List parked events',
      description:
        'Events a projection or reactor could not process, with the error, newest first; `status=open` (default) lists the ones not yet ' +
        'resolved or skipped. One bad event never stops the others: later events of its stream wait behind it (`waiting`).',
      response: { data: [parked], nextCursor: null },
    },
    settleParkedEventRetry: {
      summary: 'Retry a parked event',
      description:
        'After a fix, asks the subscriber to apply the event again, then the events that waited behind it, in order. Answers 200 once ' +
        'done (`resolved`, or `parked` again with the new error), or 202 while no process runs the subscribers.',
      response: { ...parked, status: 'resolved', resolvedAt: '2025-04-02T09:30:00.000Z' },
      responses: { 202: { ...parked, status: 'retry_requested' } },
      errors: settleErrors,
    },
    settleParkedEventSkip: {
      summary: 'Skip a parked event',
      description: 'The subscriber never applies the event; the events behind it go on. 200 once done, 202 while no process runs the subscribers.',
      response: { ...parked, status: 'skipped', resolvedAt: '2025-04-02T09:30:00.000Z' },
      responses: { 202: { ...parked, status: 'skip_requested' } },
      errors: settleErrors,
    },
  },
};
