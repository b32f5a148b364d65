import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file, resolved to a path under src/ (e.g. `commissions/index.js`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => relative(SRC, resolve(dirname(file), m[1]!)));
}

/**
 * ARCHITECTURE.md, "Learned from the first build": a module is used through its public face (index.ts) only;
 * src/core is shared infrastructure. The outbound module is built that way; this keeps it so, both ways.
 */
describe('module boundaries of src/outbound', () => {
  it('imports other modules only through their index.ts', () => {
    const offending = files(join(SRC, 'outbound'))
      .flatMap((f) => importsOf(f).map((target) => ({ from: relative(SRC, f), target })))
      .filter(
        ({ target }) => !target.startsWith('..') && !target.startsWith('outbound/') && !target.startsWith('core/') && !/^[a-z-]+\/index\.js$/.test(target),
      );
    expect(offending).toEqual([]);
  });

  it('is used by other modules only through its index.ts', () => {
    const offending = readdirSync(SRC)
      .filter((d) => d !== 'outbound' && statSync(join(SRC, d)).isDirectory())
      .flatMap((d) => files(join(SRC, d)))
      .flatMap((f) => importsOf(f).map((target) => ({ from: relative(SRC, f), target })))
      .filter(({ target }) => target.startsWith('outbound/') && target !== 'outbound/index.js');
    expect(offending).toEqual([]);
  });
});
