import type { ModuleOpenApi } from '../../libs/http/openapi/operation-docs.js';

/** The reports module's operations (the dashboard's overview). */
export const reportsOpenApi: ModuleOpenApi = {
  tags: [{ name: 'Reports', description: 'Figures over time for the company’s dashboard.' }],
  operations: {
    overviewGet: {
      summary: 'The dashboard overview',
      description:
        'Attributed revenue (net) and commissions per `day`, `week` or `month` and currency from `from` to `to` (inclusive, UTC; default ' +
        'the last 30 days), with totals, the unattributed payments and invoices that need a person, and the next scheduled invoice run.',
      response: {
        from: '2025-03-01',
        to: '2025-03-02',
        interval: 'day',
        data: [
          { periodStart: '2025-03-01', revenue: [{ currency: 'usd', amount: 10000 }], commissions: [{ currency: 'usd', amount: 2000 }] },
          { periodStart: '2025-03-02', revenue: [], commissions: [] },
        ],
        totals: { revenue: [{ currency: 'usd', amount: 10000 }], commissions: [{ currency: 'usd', amount: 2000 }] },
        unattributedPayments: 1,
        invoices: { pendingApproval: 1, approved: 0, paymentFailed: 0 },
        nextInvoiceRun: { at: '2025-04-01T00:00:00.000Z', periodStart: '2025-03-01', periodEnd: '2025-03-31' },
      },
      errors: { 422: '`invalid_field`: `from` after `to`, a date that does not exist, or more than 400 periods' },
    },
  },
};
