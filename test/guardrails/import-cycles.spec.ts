import { describe, it, expect } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * No import cycle among the app's files (src/, libs/; specs aside): in a cycle, whichever file loads first sees the
 * others' classes undefined while it is decorated (a Nest module's `imports`, a constructor's parameter types), so the
 * app starts or not depending on which file a process or a spec imports first. The usual cause is two modules
 * importing each other's index.ts; docs/architecture.md says how contract.ts breaks it. Imports of types only are
 * erased by the compiler and left out.
 */
const root = process.cwd();
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });

/** The files `file` imports at run time (relative imports only; `import type`, `export type` and all-type lists skipped). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const targets: string[] = [];
  for (const node of source.statements) {
    if (!(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) || !node.moduleSpecifier) continue;
    const spec = (node.moduleSpecifier as ts.StringLiteral).text;
    if (!spec.startsWith('.')) continue;
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      if (clause?.isTypeOnly) continue;
      if (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length && named.elements.every((e) => e.isTypeOnly)) continue;
    } else {
      const named = node.exportClause;
      if (node.isTypeOnly) continue;
      if (named && ts.isNamedExports(named) && named.elements.length && named.elements.every((e) => e.isTypeOnly)) continue;
    }
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    if (existsSync(target)) targets.push(target);
  }
  return targets;
}

/** Tarjan's strongly connected components of more than one file: each is a cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(relative(root, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import cycles', () => {
  it('no file of the app imports itself back through others (two modules through their index.ts, most often)', () => {
    const files = [...sources(join(root, 'src')), ...sources(join(root, 'libs'))];
    expect(cycles(new Map(files.map((f) => [f, runtimeImports(f)])))).toEqual([]);
  });
});
