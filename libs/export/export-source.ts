/**
 * A read model as a CSV export (SPEC §12). The owning module writes the SQL and names the columns; the
 * outbound module streams it through a cursor and formats the cells (libs stay free of either).
 */
export type ExportColumn<R> =
  | { header: string; kind: 'text' | 'integer' | 'timestamp' | 'boolean' | 'json'; value(row: R): unknown }
  /** Minor units, written as the integer and as a `<header>_decimal` column in the row's currency. */
  | { header: string; kind: 'amount'; value(row: R): unknown; currency(row: R): string };

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
