import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `DATA_DIR/database-url` (SPEC §13): the embedded database's URL, so another process can join it. */
export const databaseUrlFile = (dataDir: string): string => join(dataDir, 'database-url');

/** Written at every start (the embedded server's port changes), mode 0600: it holds the password. */
export function writeDatabaseUrlFile(dataDir: string, url: string): void {
  mkdirSync(dataDir, { recursive: true });
  const file = databaseUrlFile(dataDir);
  writeFileSync(`${file}.partial`, `${url}\n`, { mode: 0o600 });
  renameSync(`${file}.partial`, file);
}

/** The URL the embedded database of this data directory was last started at, if any. */
export function readDatabaseUrlFile(dataDir: string): string | undefined {
  const file = databaseUrlFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
