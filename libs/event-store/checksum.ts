import { createHash } from 'node:crypto';
import type { Sql } from '../database/sql.js';

/**
 * Order-independent hash of a table: row count and the sums of the two halves of each row's md5.
 * One linear scan, no sort, so it stays cheap on big tables. Run it with fixed output settings
 * (`checksumSettings`) so the row text, and the hash, do not depend on the session.
 */
export async function tableChecksum(sql: Sql, table: string): Promise<string> {
  const [row] = await sql.query<{ n: string; a: string; b: string }>(
    `select count(*)::text as n,
            coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text as a,
            coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text as b
     from (select md5(t::text) as h from ${table} t) rows`,
  );
  return `${table}:${row!.n}:${row!.a}:${row!.b}`;
}

export const checksumSettings = [
  "set local timezone to 'UTC'",
  "set local datestyle to 'ISO, YMD'",
  'set local extra_float_digits to 1',
  "set local intervalstyle to 'postgres'",
];

export const combineChecksums = (parts: string[]): string => createHash('md5').update(parts.join('|')).digest('hex');
