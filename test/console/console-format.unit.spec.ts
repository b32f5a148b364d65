import { describe, it, expect } from '@jest/globals';
import { decimalOf, formatMoney, parseMoney } from '../../web/src/lib/money.js';
import { parseBulkCsv } from '../../web/src/lib/bulk-csv.js';

/** The console's own logic, outside the browser: amounts in minor units and the bulk-link CSV. */
describe('console money formatting (Intl.NumberFormat, the exponents of libs/money)', () => {
  it.each([
    [123_456, 'usd', '$1,234.56'],
    [123_456, 'jpy', '¥123,456'],
    [123_456, 'kwd', 'KWD 123.456'],
    [5, 'eur', '€0.05'],
    [-2_550, 'gbp', '-£25.50'],
    [0, 'bhd', 'BHD 0.000'],
    [9_007_199_254_740_991, 'usd', '$90,071,992,547,409.91'],
  ])('%i %s → %s', (amount, currency, shown) => {
    expect(formatMoney(amount, currency).replace(/\u00a0/g, ' ')).toBe(shown);
  });

  it('exact decimals without floats; parsing back respects the currency’s decimals', () => {
    expect(decimalOf(7, 3)).toBe('0.007');
    expect(decimalOf(-120, 2)).toBe('-1.20');
    expect(parseMoney('12.5', 'usd')).toBe(1250);
    expect(parseMoney('12,345', 'kwd')).toBe(12_345);
    expect(parseMoney('1500', 'jpy')).toBe(1500);
    expect(parseMoney('15.5', 'jpy')).toBeUndefined();
    expect(parseMoney('1.234', 'usd')).toBeUndefined();
    expect(parseMoney('-3', 'usd')).toBeUndefined();
  });

  it('an unknown currency code shows the raw amount rather than guessing decimals', () => {
    expect(formatMoney(100, 'xyz')).toBe('100 xyz');
  });
});

describe('bulk link CSV', () => {
  it('email or lead id, then customer id; header and blank lines skipped; bad rows reported by line', () => {
    const rows = parseBulkCsv('email,customerId\n\njane@x.example, cus_1\nld_abc;cus_2\n"bob@y.example"\t"cus_3"\nonly-one-column\na,b,c\n');
    expect(rows).toEqual([
      { line: 3, item: { email: 'jane@x.example', customerId: 'cus_1' } },
      { line: 4, item: { leadId: 'ld_abc', customerId: 'cus_2' } },
      { line: 5, item: { email: 'bob@y.example', customerId: 'cus_3' } },
      { line: 6, error: expect.stringContaining('two columns'), text: 'only-one-column' },
      { line: 7, error: expect.stringContaining('two columns'), text: 'a,b,c' },
    ]);
  });

  it('a first line that is data is kept', () => {
    expect(parseBulkCsv('jane@x.example,cus_1')).toEqual([{ line: 1, item: { email: 'jane@x.example', customerId: 'cus_1' } }]);
  });
});
