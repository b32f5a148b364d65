import type { Sql } from '../database/sql.js';

/** Postgres array element types usable with `unnest($n::<type>[])`. */
export type PgType = 'text' | 'jsonb' | 'bigint' | 'integer' | 'boolean' | 'timestamptz' | 'numeric';

/** Column-wise arrays of the rows, the form `unnest` takes. */
export function columnsOf(rows: readonly unknown[][], width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((row, r) => row.forEach((v, c) => (cols[c]![r] = v)));
  return cols;
}

/**
 * Absolute column updates folded per row in event order (the last value of a column wins),
 * written in one statement. A row that does not exist is left alone, as `update … where id` would.
 */
export class RowPatches {
  private readonly rows = new Map<string, Map<string, unknown>>();

  set(id: string, column: string, value: unknown): void {
    const row = this.rows.get(id) ?? this.rows.set(id, new Map()).get(id)!;
    row.set(column, value);
  }

  delete(id: string): void {
    this.rows.delete(id);
  }

  async write(sql: Sql, table: string, key: string, types: Record<string, PgType>): Promise<void> {
    if (this.rows.size === 0) return;
    const columns = Object.entries(types);
    const ids = [...this.rows.keys()];
    const params: unknown[][] = [ids];
    const sets: string[] = [];
    const aliases = ['id'];
    columns.forEach(([column, type], i) => {
      params.push(
        ids.map((id) => this.rows.get(id)!.has(column)),
        ids.map((id) => this.rows.get(id)!.get(column) ?? null),
      );
      sets.push(`${column} = case when u.s${i} then u.v${i}::${type} else t.${column} end`);
      aliases.push(`s${i}`, `v${i}`);
    });
    const unnest = params.map((_, i) => `$${i + 1}::${i === 0 ? 'text' : i % 2 === 1 ? 'boolean' : columns[(i - 2) / 2]![1]}[]`);
    await sql.query(`update ${table} t set ${sets.join(', ')} from unnest(${unnest.join(', ')}) as u(${aliases.join(', ')}) where t.${key} = u.id`, params);
  }
}
