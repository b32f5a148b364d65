import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { fxRate, money, rederive, type FxRate } from '../../../libs/money/index.js';
import { cutoffFor, draftInvoice, draftLines, isInvoiceDay, periodEndingBefore, periodStartFor, todayIn } from './invoice-run.js';
import { expandLines } from './invoice.js';

const monthly = { frequency: 'monthly' as const, day: 1 };
const weekly = { frequency: 'weekly' as const, day: 1 };

describe('invoice periods', () => {
  it.each([
    [monthly, '2025-04-01T00:00:00Z', '2025-03-31', '2025-03-01'],
    [monthly, '2025-04-15T10:00:00Z', '2025-03-31', '2025-03-01'],
    [{ frequency: 'monthly' as const, day: 15 }, '2025-04-14T23:00:00Z', '2025-03-14', '2025-02-15'],
    [{ frequency: 'monthly' as const, day: 15 }, '2025-01-10T00:00:00Z', '2024-12-14', '2024-11-15'],
    [weekly, '2025-04-09T12:00:00Z', '2025-04-06', '2025-03-31'], // Wednesday → period ended Sunday
    [weekly, '2025-04-07T00:00:00Z', '2025-04-06', '2025-03-31'], // Monday itself
    [{ frequency: 'weekly' as const, day: 7 }, '2025-04-09T12:00:00Z', '2025-04-05', '2025-03-30'],
  ])('%o at %s: period %s back to %s', (schedule, now, end, start) => {
    expect(periodEndingBefore(schedule, new Date(now))).toBe(end);
    expect(periodStartFor(schedule, end)).toBe(start);
  });

  it('knows the invoice day', () => {
    expect(isInvoiceDay(monthly, new Date('2025-04-01T13:00:00Z'))).toBe(true);
    expect(isInvoiceDay(monthly, new Date('2025-04-02T00:00:00Z'))).toBe(false);
    expect(isInvoiceDay(weekly, new Date('2025-04-07T08:00:00Z'))).toBe(true);
  });

  it('a chosen periodEnd starts the period at the latest invoice day on or before it', () => {
    expect(periodStartFor(monthly, '2025-03-30')).toBe('2025-03-01');
    expect(periodStartFor(monthly, '2025-03-31')).toBe('2025-03-01');
    expect(periodStartFor({ frequency: 'monthly', day: 15 }, '2025-03-30')).toBe('2025-03-15');
    expect(periodStartFor(weekly, '2025-04-09')).toBe('2025-04-07');
  });

  it('"last": the invoice day is the month’s last day, whatever its length', () => {
    const last = { frequency: 'monthly' as const, day: 'last' as const };
    expect(periodEndingBefore(last, new Date('2025-03-10T00:00:00Z'))).toBe('2025-02-27');
    expect(periodStartFor(last, '2025-02-27')).toBe('2025-01-31');
    expect(isInvoiceDay(last, new Date('2024-02-29T12:00:00Z'))).toBe(true);
    expect(isInvoiceDay(last, new Date('2025-02-28T12:00:00Z'))).toBe(true);
    expect(isInvoiceDay(last, new Date('2025-03-30T12:00:00Z'))).toBe(false);
    expect(periodEndingBefore(last, new Date('2025-04-30T00:00:00Z'))).toBe('2025-04-29');
  });

  it('periods follow the company’s time zone: its 1st of the month starts at its own midnight', () => {
    const ny = { ...monthly, timeZone: 'America/New_York' };
    expect(isInvoiceDay(ny, new Date('2025-04-01T00:30:00Z'))).toBe(false); // 20:30 on March 31 in New York
    expect(isInvoiceDay(ny, new Date('2025-04-01T04:30:00Z'))).toBe(true);
    expect(periodEndingBefore(ny, new Date('2025-04-01T00:30:00Z'))).toBe('2025-02-28');
    expect(periodEndingBefore(ny, new Date('2025-04-01T04:30:00Z'))).toBe('2025-03-31');
    expect(cutoffFor('2025-03-31', new Date('2025-04-10T00:00:00Z'), 'America/New_York').toISOString()).toBe('2025-04-01T03:59:59.999Z');
    expect(todayIn(new Date('2025-04-01T00:30:00Z'), 'Asia/Tokyo')).toBe('2025-04-01');
    expect(todayIn(new Date('2025-04-01T00:30:00Z'), 'America/Los_Angeles')).toBe('2025-03-31');
  });

  it('includes commissions payable by the end of the last day, never after now', () => {
    expect(cutoffFor('2025-03-31', new Date('2025-04-10T00:00:00Z')).toISOString()).toBe('2025-03-31T23:59:59.999Z');
    expect(cutoffFor('2025-04-10', new Date('2025-04-10T08:00:00Z')).toISOString()).toBe('2025-04-10T08:00:00.000Z');
  });
});

const usdEur = fxRate({ id: 'fxr_1:eur', base: 'usd', quote: 'eur', rate: '0.9234', asOf: '2025-03-31T00:00:00.000Z', source: 'ecb' });
const eurGbpInverse = fxRate({ id: 'fxr_2:eur', base: 'gbp', quote: 'eur', rate: '1.19', asOf: '2025-03-30T00:00:00.000Z', source: 'manual' });

describe('drafting an invoice', () => {
  it('converts each line into the partner currency at its recorded rate; the total is the sum of the lines', () => {
    const d = draftInvoice(
      'eur',
      [
        { id: 'cm_1', amount: 2000, currency: 'usd' },
        { id: 'cm_2', amount: 1000, currency: 'eur' },
        { id: 'cm_3', amount: -333, currency: 'usd' },
      ],
      new Map([['usd', usdEur]]),
      0,
    );
    expect(d).toEqual({
      total: 1847 + 1000 - 307,
      lines: [
        {
          commissionId: 'cm_1',
          amount: 2000,
          currency: 'usd',
          fxRate: '0.9234',
          fxRateId: 'fxr_1:eur',
          fxAsOf: '2025-03-31T00:00:00.000Z',
          fxSource: 'ecb',
          fxInverted: false,
          convertedAmount: 1847,
        },
        {
          commissionId: 'cm_2',
          amount: 1000,
          currency: 'eur',
          fxRate: null,
          fxRateId: null,
          fxAsOf: null,
          fxSource: null,
          fxInverted: null,
          convertedAmount: 1000,
        },
        {
          commissionId: 'cm_3',
          amount: -333,
          currency: 'usd',
          fxRate: '0.9234',
          fxRateId: 'fxr_1:eur',
          fxAsOf: '2025-03-31T00:00:00.000Z',
          fxSource: 'ecb',
          fxInverted: false,
          convertedAmount: -307,
        },
      ],
    });
  });

  it('uses an inverse rate by dividing, and says so on the line', () => {
    const d = draftInvoice('gbp', [{ id: 'cm_1', amount: 1190, currency: 'eur' }], new Map([['eur', eurGbpInverse]]), 0);
    expect(d).toMatchObject({ total: 1000, lines: [{ fxRate: '1.19', fxInverted: true, convertedAmount: 1000 }] });
  });

  it('rolls over below the minimum payout or at a total of zero or less', () => {
    const one = [{ id: 'cm_1', amount: 4999, currency: 'usd' }];
    expect(draftInvoice('usd', one, new Map(), 5000)).toEqual({ skip: 'below_minimum', total: 4999 });
    expect(draftInvoice('usd', one, new Map(), 4999)).toMatchObject({ total: 4999 });
    expect(draftInvoice('usd', [...one, { id: 'cm_2', amount: -4999, currency: 'usd' }], new Map(), 0)).toEqual({ skip: 'not_positive', total: 0 });
  });

  it('rounds the total down to the currency’s charge increment and carries the remainder (and takes the carry in)', () => {
    const kwd = [{ commissionId: 'cm_1', amount: 37961, currency: 'kwd' }];
    expect(draftLines('kwd', kwd, new Map(), 0, { increment: 10 })).toEqual({ lines: kwd, total: 37960, carry: { in: 0, out: 1 } });
    expect(draftLines('kwd', kwd, new Map(), 0, { increment: 10, carry: 9 })).toEqual({ lines: kwd, total: 37970, carry: { in: 9, out: 0 } });
    const isk = [{ commissionId: 'cm_1', amount: 1708671, currency: 'isk' }];
    expect(draftLines('isk', isk, new Map(), 0, { increment: 100 })).toEqual({ lines: isk, total: 1708600, carry: { in: 0, out: 71 } });
    expect(draftLines('isk', [{ commissionId: 'cm_1', amount: 99, currency: 'isk' }], new Map(), 0, { increment: 100 })).toEqual({
      skip: 'not_positive',
      total: 99,
    });
    expect(draftLines('usd', [{ commissionId: 'cm_1', amount: 1234, currency: 'usd' }], new Map(), 0, { carry: -4 })).toEqual({
      lines: [{ commissionId: 'cm_1', amount: 1234, currency: 'usd' }],
      total: 1230,
      carry: { in: -4, out: 0 },
    });
  });

  it('compares the minimum payout with the chargeable total', () => {
    expect(draftLines('kwd', [{ commissionId: 'cm_1', amount: 5009, currency: 'kwd' }], new Map(), 5001, { increment: 10 })).toEqual({
      skip: 'below_minimum',
      total: 5000,
    });
  });

  it('a clawback takes only a negative total, never rounded', () => {
    const owed = [{ commissionId: 'cm_1', amount: -2003, currency: 'kwd' }];
    expect(draftLines('kwd', owed, new Map(), 0, { increment: 10, clawback: true })).toEqual({ lines: owed, total: -2003 });
    expect(draftLines('kwd', [{ commissionId: 'cm_1', amount: 5, currency: 'kwd' }], new Map(), 0, { clawback: true })).toEqual({
      skip: 'not_negative',
      total: 5,
    });
  });

  it('records lines compactly: the invoice currency as {commissionId, amount, currency}, converted lines with their amount and one rate per currency', () => {
    const d = draftLines(
      'eur',
      [
        { commissionId: 'cm_1', amount: 2000, currency: 'usd' },
        { commissionId: 'cm_2', amount: 1000, currency: 'eur' },
        { commissionId: 'cm_3', amount: -333, currency: 'usd' },
        { commissionId: 'cm_4', amount: 2000, currency: 'usd' },
      ],
      new Map([['usd', usdEur]]),
      0,
    );
    expect(d).toEqual({
      total: 1847 + 1000 - 307 + 1847,
      lines: [
        { commissionId: 'cm_1', amount: 2000, currency: 'usd', convertedAmount: 1847 },
        { commissionId: 'cm_2', amount: 1000, currency: 'eur' },
        { commissionId: 'cm_3', amount: -333, currency: 'usd', convertedAmount: -307 },
        { commissionId: 'cm_4', amount: 2000, currency: 'usd', convertedAmount: 1847 },
      ],
      fx: { usd: { rate: '0.9234', rateId: 'fxr_1:eur', asOf: '2025-03-31T00:00:00.000Z', source: 'ecb', inverted: false } },
    });
    expect(draftLines('usd', [{ commissionId: 'cm_1', amount: 5, currency: 'usd' }], new Map(), 0)).toEqual({
      total: 5,
      lines: [{ commissionId: 'cm_1', amount: 5, currency: 'usd' }],
    });
    expect(draftLines('usd', [{ commissionId: 'cm_1', amount: 5, currency: 'usd' }], new Map(), 6)).toEqual({ skip: 'below_minimum', total: 5 });
  });

  it('expands recorded lines to the full line shape, key order included, and leaves full lines (older events) as they are', () => {
    const d = draftLines(
      'eur',
      [
        { commissionId: 'cm_1', amount: 2000, currency: 'usd' },
        { commissionId: 'cm_2', amount: 1000, currency: 'eur' },
      ],
      new Map([['usd', usdEur]]),
      0,
    );
    if ('skip' in d) throw new Error('drafted');
    const full = expandLines('eur', d.lines, d.fx);
    expect(JSON.stringify(full)).toBe(
      JSON.stringify([
        {
          commissionId: 'cm_1',
          amount: 2000,
          currency: 'usd',
          fxRate: '0.9234',
          fxRateId: 'fxr_1:eur',
          fxAsOf: '2025-03-31T00:00:00.000Z',
          fxSource: 'ecb',
          fxInverted: false,
          convertedAmount: 1847,
        },
        {
          commissionId: 'cm_2',
          amount: 1000,
          currency: 'eur',
          fxRate: null,
          fxRateId: null,
          fxAsOf: null,
          fxSource: null,
          fxInverted: null,
          convertedAmount: 1000,
        },
      ]),
    );
    expect(expandLines('eur', full, undefined)).toEqual(full);
    expect(expandLines('eur', [full[0]!, { commissionId: 'cm_3', amount: 7, currency: 'eur' }], undefined)[1]).toEqual({
      commissionId: 'cm_3',
      amount: 7,
      currency: 'eur',
      fxRate: null,
      fxRateId: null,
      fxAsOf: null,
      fxSource: null,
      fxInverted: null,
      convertedAmount: 7,
    });
    expect(() => expandLines('eur', [{ commissionId: 'cm_1', amount: 1, currency: 'usd', convertedAmount: 1 }], undefined)).toThrow(/no recorded rate/);
    expect(() => expandLines('eur', [{ commissionId: 'cm_1', amount: 1, currency: 'usd' }], undefined)).toThrow(/no converted amount/);
  });

  it('never invents a rate', () => {
    expect(() => draftInvoice('eur', [{ id: 'cm_1', amount: 1, currency: 'jpy' }], new Map(), 0)).toThrow(/no rate/);
  });

  it.each([
    // amount, currency → invoice currency at rate: zero- and three-decimal currencies are never off by 100/1000
    [1000, 'usd', 'jpy', '151.37', 1514],
    [1514, 'jpy', 'usd', '0.0066', 999],
    [1000, 'usd', 'kwd', '0.3075', 3075],
    [1500, 'kwd', 'jpy', '492.26', 738],
    [12345, 'jpy', 'kwd', '0.00205', 25307],
  ])('%p %s → %s at %s = %p', (amount, from, to, rate, expected) => {
    const fx = fxRate({ id: 'r', base: from, quote: to, rate, asOf: '2025-01-01', source: 'test' });
    expect(draftInvoice(to, [{ id: 'cm', amount, currency: from }], new Map([[from, fx]]), 0)).toMatchObject({ total: expected });
  });

  it('every converted line re-derives from its recorded rate, and the total is their sum (property)', () => {
    const currencies = ['usd', 'eur', 'jpy', 'kwd'];
    const rateText = fc.tuple(fc.integer({ min: 100, max: 1_000_000 }), fc.integer({ min: 2, max: 6 })).map(([u, s]) => {
      const digits = String(u).padStart(s + 1, '0');
      return `${digits.slice(0, -s)}.${digits.slice(-s)}`;
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.array(fc.record({ amount: fc.integer({ min: -(10 ** 6), max: 10 ** 7 }), currency: fc.constantFrom(...currencies) }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.dictionary(fc.constantFrom(...currencies), fc.tuple(rateText, fc.boolean()), { minKeys: 4 }),
        (target, items, table) => {
          const rates = new Map<string, FxRate>();
          for (const [c, [rate, inverse]] of Object.entries(table)) {
            if (c !== target)
              rates.set(c, fxRate({ id: `r_${c}`, base: inverse ? target : c, quote: inverse ? c : target, rate, asOf: '2025-01-01', source: 'test' }));
          }
          const d = draftInvoice(
            target,
            items.map((x, i) => ({ id: `cm_${i}`, ...x })),
            rates,
            0,
          );
          const lines = 'lines' in d ? d.lines : [];
          for (const l of lines) {
            if (l.fxRate === null) {
              expect(l.convertedAmount).toBe(l.amount);
              continue;
            }
            const redone = rederive({
              from: money(l.amount, l.currency),
              to: money(0, target),
              rate: l.fxRate,
              rateId: l.fxRateId!,
              asOf: l.fxAsOf!,
              source: l.fxSource!,
              inverted: l.fxInverted!,
            });
            expect(redone.to.amount).toBe(l.convertedAmount);
          }
          if ('lines' in d) expect(d.total).toBe(lines.reduce((a, l) => a + l.convertedAmount, 0));
          // the recorded form carries exactly the same lines, a fraction of the bytes
          const recorded = draftLines(
            target,
            items.map((x, i) => ({ commissionId: `cm_${i}`, ...x })),
            rates,
            0,
          );
          expect(recorded.total).toBe(d.total);
          if ('lines' in recorded) {
            expect(JSON.stringify(expandLines(target, recorded.lines, recorded.fx))).toBe(JSON.stringify(lines));
            expect(JSON.stringify(recorded.lines).length).toBeLessThan(JSON.stringify(lines).length);
          }
        },
      ),
    );
  });
});
