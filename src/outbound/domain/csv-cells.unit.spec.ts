import { describe, it, expect } from '@jest/globals';
import type { ExportColumn } from '../../../libs/export/export-source.js';
import { cellsOf, guardText, headerRow } from './csv-cells.js';

type Row = { name: string | null; amount: string; currency: string; n: number; at: Date; flag: boolean; plan: object | null };
const columns: ExportColumn<Row>[] = [
  { header: 'name', kind: 'text', value: (r) => r.name },
  { header: 'amount', kind: 'amount', value: (r) => r.amount, currency: (r) => r.currency },
  { header: 'n', kind: 'integer', value: (r) => r.n },
  { header: 'at', kind: 'timestamp', value: (r) => r.at },
  { header: 'flag', kind: 'boolean', value: (r) => r.flag },
  { header: 'plan', kind: 'json', value: (r) => r.plan },
];

describe('CSV cells', () => {
  it('guards text a spreadsheet would evaluate', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1+1', '＋1', '－1', '＠SUM(A1)']) expect(guardText(s)).toBe(`'${s}`);
    for (const s of ['plain', '1=1', ' =1', '', "'quoted"]) expect(guardText(s)).toBe(s);
  });

  it('adds a decimal column per amount, keeps numbers (negative ones too) unprefixed, and writes nulls empty', () => {
    expect(headerRow(columns)).toEqual(['name', 'amount', 'amount_decimal', 'n', 'at', 'flag', 'plan']);
    const at = new Date('2026-12-01T10:00:00Z');
    expect(cellsOf(columns, { name: '-refund', amount: '-1999', currency: 'usd', n: -3, at, flag: false, plan: { type: 'flat', amount: 5 } })).toEqual([
      "'-refund",
      '-1999',
      '-19.99',
      -3,
      '2026-12-01T10:00:00.000Z',
      'false',
      '{"type":"flat","amount":5}',
    ]);
    expect(cellsOf(columns, { name: null, amount: '7', currency: 'jpy', n: 0, at, flag: true, plan: null })).toEqual([
      '',
      '7',
      '7',
      0,
      '2026-12-01T10:00:00.000Z',
      'true',
      '',
    ]);
  });
});
