import { describe, it, expect } from '@jest/globals';
import { nextInvoiceRun } from './next-run.js';

describe('nextInvoiceRun', () => {
  it('monthly: the next invoice day at 00:00 UTC, for the month before it', () => {
    expect(nextInvoiceRun({ frequency: 'monthly', day: 1 }, new Date('2025-03-14T10:00:00Z'))).toEqual({ at: '2025-04-01T00:00:00.000Z', periodStart: '2025-03-01', periodEnd: '2025-03-31' });
    expect(nextInvoiceRun({ frequency: 'monthly', day: 15 }, new Date('2025-03-14T23:59:59Z'))).toEqual({ at: '2025-03-15T00:00:00.000Z', periodStart: '2025-02-15', periodEnd: '2025-03-14' });
  });

  it('on the invoice day itself, today’s run is done: the next is a period later', () => {
    expect(nextInvoiceRun({ frequency: 'monthly', day: 15 }, new Date('2025-03-15T00:30:00Z')).at).toBe('2025-04-15T00:00:00.000Z');
    expect(nextInvoiceRun({ frequency: 'weekly', day: 1 }, new Date('2025-03-17T08:00:00Z')).at).toBe('2025-03-24T00:00:00.000Z');
  });

  it('weekly: the next ISO weekday, for the seven days before it; across a year end', () => {
    expect(nextInvoiceRun({ frequency: 'weekly', day: 5 }, new Date('2025-03-17T08:00:00Z'))).toEqual({ at: '2025-03-21T00:00:00.000Z', periodStart: '2025-03-14', periodEnd: '2025-03-20' });
    expect(nextInvoiceRun({ frequency: 'monthly', day: 1 }, new Date('2025-12-31T23:00:00Z'))).toEqual({ at: '2026-01-01T00:00:00.000Z', periodStart: '2025-12-01', periodEnd: '2025-12-31' });
  });
});
