import { describe, it, expect } from '@jest/globals';
import { nextInvoiceRun } from './next-run.js';

describe('nextInvoiceRun', () => {
  it('monthly: the next invoice day at 00:00 UTC, for the month before it', () => {
    expect(nextInvoiceRun({ frequency: 'monthly', day: 1 }, new Date('2025-03-14T10:00:00Z'))).toEqual({
      at: '2025-04-01T00:00:00.000Z',
      periodStart: '2025-03-01',
      periodEnd: '2025-03-31',
    });
    expect(nextInvoiceRun({ frequency: 'monthly', day: 15 }, new Date('2025-03-14T23:59:59Z'))).toEqual({
      at: '2025-03-15T00:00:00.000Z',
      periodStart: '2025-02-15',
      periodEnd: '2025-03-14',
    });
  });

  it('on the invoice day itself, today’s run is done: the next is a period later', () => {
    expect(nextInvoiceRun({ frequency: 'monthly', day: 15 }, new Date('2025-03-15T00:30:00Z')).at).toBe('2025-04-15T00:00:00.000Z');
    expect(nextInvoiceRun({ frequency: 'weekly', day: 1 }, new Date('2025-03-17T08:00:00Z')).at).toBe('2025-03-24T00:00:00.000Z');
  });

  it('weekly: the next ISO weekday, for the seven days before it; across a year end', () => {
    expect(nextInvoiceRun({ frequency: 'weekly', day: 5 }, new Date('2025-03-17T08:00:00Z'))).toEqual({
      at: '2025-03-21T00:00:00.000Z',
      periodStart: '2025-03-14',
      periodEnd: '2025-03-20',
    });
    expect(nextInvoiceRun({ frequency: 'monthly', day: 1 }, new Date('2025-12-31T23:00:00Z'))).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      periodStart: '2025-12-01',
      periodEnd: '2025-12-31',
    });
  });
});

describe('nextInvoiceRun with the last day of the month and a time zone', () => {
  it('"last": the last day of the next month (February included)', () => {
    expect(nextInvoiceRun({ frequency: 'monthly', day: 'last' }, new Date('2025-01-31T12:00:00Z'))).toEqual({
      at: '2025-02-28T00:00:00.000Z',
      periodStart: '2025-01-31',
      periodEnd: '2025-02-27',
    });
  });

  it('a company in Tokyo: its invoice day starts at its own midnight', () => {
    // 2025-03-31 20:00 UTC is already 1 April in Tokyo: that invoice day has run; the next is 1 May, 00:00 Tokyo = 30 April 15:00 UTC
    expect(nextInvoiceRun({ frequency: 'monthly', day: 1, timeZone: 'Asia/Tokyo' }, new Date('2025-03-31T20:00:00Z'))).toEqual({
      at: '2025-04-30T15:00:00.000Z',
      periodStart: '2025-04-01',
      periodEnd: '2025-04-30',
    });
  });
});
