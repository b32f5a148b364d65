/**
 * A read model as a CSV export (SPEC §12). The owning module writes the SQL and names the columns; the
 * outbound module streams it through a cursor and formats the cells (libs stay free of either).
 */
export type ExportColumn<R> =
  | { header: string; kind: 'text' | 'integer' | 'timestamp' | 'boolean' | 'json'; value(row: R): unknown }
  /** Minor units, written as the integer and as a `<header>_decimal` column in the row's currency. */
  | { header: string; kind: 'amount'; value(row: R): unknown; currency(row: R): string };

/**
 * SQL for a timestamptz column as the API writes it (`2026-12-03T10:00:00.000Z`), aliased to its own name: the
 * database formats it, so millions of rows are not parsed into Dates and printed again.
 */
export const isoUtc = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

/** Common to every export: rows whose date (the source says which) is within `from`…`to`, both inclusive. */
export interface ExportRange {
  from?: Date;
  to?: Date;
}

export interface ExportSource<F, R = any> {
  /** Rows of one company matching the filter, in a stable order (the read model's position). */
  query(companyId: string, filter: F & ExportRange, now: Date): { text: string; params: unknown[] };
  readonly columns: readonly ExportColumn<R>[];
  /** What `from`/`to` compare, for the documentation (e.g. "paidAt"). */
  readonly dateField: string;
}
