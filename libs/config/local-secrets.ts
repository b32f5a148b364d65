import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A secret kept in a file of the data directory (mode 0600): read if there, else made by `make` and
 * written first (through a temporary file, so a crash never leaves half a secret). Answers whether it
 * was made now.
 */
export function localSecret(dataDir: string, name: string, make: () => string): { value: string; file: string; created: boolean } {
  const file = resolve(join(dataDir, name));
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return { value: readFileSync(file, 'utf8').trim(), file, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const value = make();
  const partial = `${file}.partial`;
  writeFileSync(partial, `${value}\n`, { mode: 0o600 });
  renameSync(partial, file);
  return { value, file, created: true };
}
