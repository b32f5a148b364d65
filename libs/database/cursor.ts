import type pg from 'pg';
import Cursor from 'pg-cursor';

/**
 * Streams a query's rows in chunks through a server-side cursor on a connection of `pool`: memory stays at
 * one chunk whatever the result size, and stopping early (a `break`, a closed download) closes the cursor.
 * One statement, so one snapshot; a read-only statement holds no transaction id, so the event store's
 * visibility horizon (`pg_snapshot_xmin`) does not wait for it.
 */
export async function* streamRows<R>(pool: pg.Pool, text: string, params: unknown[], chunkSize = 2_000): AsyncGenerator<R[]> {
  const client = await pool.connect();
  const cursor = client.query(new Cursor<R>(text, params));
  let broken: Error | undefined;
  try {
    for (;;) {
      const rows = await cursor.read(chunkSize);
      if (rows.length === 0) return;
      yield rows;
    }
  } catch (e) {
    broken = e as Error;
    throw e;
  } finally {
    await cursor.close().catch(() => undefined);
    client.release(broken);
  }
}
