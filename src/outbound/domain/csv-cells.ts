import { toMajorUnits } from '../../../libs/money/index.js';
import type { ExportColumn } from '../../../libs/export/export-source.js';

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, the tab and carriage return OWASP adds, and
 * the full-width forms Apple Numbers folds into them) gets a leading `'`. Only text: amounts and counts stay numbers,
 * so csv-stringify's own `escape_formulas` (which would also prefix a negative amount in a string) is not used.
 */
export function guardText(value: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

export function headerRow(columns: readonly ExportColumn<unknown>[]): string[] {
  return columns.flatMap((c) => (c.kind === 'amount' ? [c.header, `${c.header}_decimal`] : [c.header]));
}

/** One row as CSV cells; the quoting (RFC 4180) is csv-stringify's. */
export function cellsOf<R>(columns: readonly ExportColumn<R>[], row: R): (string | number)[] {
  const cells: (string | number)[] = [];
  for (const c of columns) {
    const v = c.value(row);
    if (c.kind === 'amount') {
      cells.push(String(v), toMajorUnits(v as string | number, c.currency(row)));
    } else if (v === null || v === undefined) {
      cells.push('');
    } else if (c.kind === 'timestamp') {
      cells.push(v instanceof Date ? v.toISOString() : String(v));
    } else if (c.kind === 'integer') {
      cells.push(Number(v));
    } else if (c.kind === 'boolean') {
      cells.push(v ? 'true' : 'false');
    } else {
      cells.push(guardText(c.kind === 'json' ? JSON.stringify(v) : String(v)));
    }
  }
  return cells;
}
