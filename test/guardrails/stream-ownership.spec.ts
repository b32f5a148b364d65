import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * One owner per stream (issue 16, docs/architecture.md "Stream ownership"): a stream category belongs to the module that
 * defines its stream-name function (`fooStream = (…) => \`foo-…\``), and only that module's code appends to it. Every
 * append in src/<module>/ (`append`, `appendRaw`, `appendTo`, `appendMany`, `EventSourcing.execute`, and each
 * `{ streamId, events }` built for one) is traced back, within its file, to the stream-name function its stream comes
 * from; an append to another module's category, or one that cannot be traced, fails. The architecture page's table
 * must list exactly the owners found.
 */
const SRC = join(process.cwd(), 'src');
const NOT_MODULES = new Set(['core', 'shared-kernel', 'cli']);

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
const moduleOf = (file: string) => relative(SRC, file).split(sep)[0]!;

/** Stream-name functions (and refs built on them: `streamOf(aggregate, fooStream(…))`) by name: their category and module. */
export function streamFunctions(files: { file: string; text: string }[]): Map<string, { category: string; module: string }> {
  const fns = new Map<string, { category: string; module: string }>();
  for (const { file, text } of files)
    for (const m of text.matchAll(/export const (\w+) = \([^)]*\)(?:: string)? => `([a-z]+)-/g)) fns.set(m[1]!, { category: m[2]!, module: moduleOf(file) });
  for (const { text } of files)
    for (const m of text.matchAll(/export const (\w+) = \([^)]*\) => streamOf\(\w+, (\w+)\(/g)) {
      const of = fns.get(m[2]!);
      if (of) fns.set(m[1]!, of);
    }
  return fns;
}

const APPENDS = new Set(['append', 'appendRaw', 'appendTo', 'appendMany', 'execute']);
/** The event store or the write side's door (`EventSourcing`), and a command's context. */
const WRITER = /(^|\.)(ctx|es|store)$/;

type Found = { at: string; categories: string[] };

/** The appends of one file and the categories of their streams ('?' where the stream cannot be traced). */
export function appendsIn(file: string, text: string, fns: Map<string, { category: string }>): Found[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const line = (n: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;

  /** Declarations of `name` visible from `at`: variables, destructured names, `for … of` variables. */
  const declarations = (name: string, at: ts.Node): ts.Node[] => {
    const out: ts.Node[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) || ts.isBindingElement(n)) {
        if (ts.isIdentifier(n.name) && n.name.text === name) out.push(n);
      }
      ts.forEachChild(n, visit);
    };
    for (let scope: ts.Node | undefined = at.parent; scope && out.length === 0; scope = scope.parent)
      if (ts.isFunctionLike(scope) || ts.isSourceFile(scope)) visit(scope);
    return out;
  };

  /** The categories a stream-name expression can have. */
  const memo = new Map<ts.Node, string[]>();
  const stream = (e: ts.Expression | undefined): string[] => {
    if (!e) return ['?'];
    const known = memo.get(e);
    if (known) return known;
    memo.set(e, ['?']); // a name defined through itself
    const categories = streamOf(e);
    memo.set(e, categories);
    return categories;
  };
  const streamOf = (e: ts.Expression): string[] => {
    if (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return stream(e.expression);
    if (ts.isTemplateExpression(e)) return [/^([a-z]+)-/.exec(e.head.text)?.[1] ?? '?'];
    if (ts.isConditionalExpression(e)) return [...stream(e.whenTrue), ...stream(e.whenFalse)];
    if (ts.isCallExpression(e)) {
      const callee = e.expression;
      if (ts.isIdentifier(callee) && fns.has(callee.text)) return [fns.get(callee.text)!.category];
      return ['?'];
    }
    if (ts.isIdentifier(e)) return fromDeclarations(e.text, e, 'stream');
    if (ts.isPropertyAccessExpression(e) && (e.name.text === 'streamId' || e.name.text === 'ref')) return loaded(e.expression);
    return ['?'];
  };

  /** The categories of a stream as loaded (`ctx.load`, `ctx.loadStream`, `es.load`) or as a `{ streamId, … }` append. */
  const loadedMemo = new Map<ts.Node, string[]>();
  const loaded = (e: ts.Expression | undefined): string[] => {
    if (!e) return ['?'];
    const known = loadedMemo.get(e);
    if (known) return known;
    loadedMemo.set(e, ['?']);
    const categories = loadedOf(e);
    loadedMemo.set(e, categories);
    return categories;
  };
  const loadedOf = (e: ts.Expression): string[] => {
    if (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return loaded(e.expression);
    if (ts.isConditionalExpression(e)) return [...loaded(e.whenTrue), ...loaded(e.whenFalse)];
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => (ts.isSpreadElement(x) ? loaded(x.expression) : loaded(x)));
    if (ts.isObjectLiteralExpression(e)) {
      const out: string[] = [];
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && p.name.getText() === 'streamId') out.push(...stream(p.initializer));
        if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'streamId') out.push(...stream(p.name));
        if (ts.isSpreadAssignment(p)) out.push(...loaded(p.expression));
      }
      return out.length ? out : ['?'];
    }
    if (ts.isCallExpression(e)) {
      const callee = e.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        const name = callee.name.text;
        if (name === 'load' || name === 'loadStream') return stream(e.arguments[0]);
        if (name === 'all' || name === 'filter' || name === 'find') return name === 'all' ? loaded(e.arguments[0]) : loaded(callee.expression);
        if (name === 'map') {
          const fn = e.arguments[0];
          if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return returned(fn.body).flatMap((r) => loaded(r));
        }
      }
      return stream(e);
    }
    if (ts.isIdentifier(e)) return fromDeclarations(e.text, e, 'loaded');
    return ['?'];
  };

  /** What a function body returns: its expression, or each `return` of its own (not of functions inside it). */
  const returned = (body: ts.ConciseBody): (ts.Expression | undefined)[] => {
    if (!ts.isBlock(body)) return [body];
    const out: (ts.Expression | undefined)[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isReturnStatement(n)) out.push(n.expression);
      else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return out;
  };

  const fromDeclarations = (name: string, at: ts.Node, as: 'stream' | 'loaded'): string[] => {
    const decls = declarations(name, at);
    if (!decls.length) return ['?'];
    return decls.flatMap((d) => {
      if (ts.isVariableDeclaration(d)) {
        // `for (const s of xs)`: what xs holds.
        if (ts.isVariableDeclarationList(d.parent) && ts.isForOfStatement(d.parent.parent)) return loaded(d.parent.parent.expression);
        return as === 'stream' ? stream(d.initializer) : loaded(d.initializer);
      }
      // A destructured name: `{ streamId } = await ctx.loadStream(…)`, `[a, b] = await Promise.all([…])`.
      const b = d as ts.BindingElement;
      const pattern = b.parent;
      const holder = pattern.parent;
      if (!ts.isVariableDeclaration(holder)) return ['?'];
      if (ts.isArrayBindingPattern(pattern)) {
        let init: ts.Expression | undefined = holder.initializer;
        while (init && (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
        const index = pattern.elements.indexOf(b);
        if (init && ts.isCallExpression(init) && init.arguments[0] && ts.isArrayLiteralExpression(init.arguments[0]))
          return loaded(init.arguments[0].elements[index]);
        return loaded(holder.initializer);
      }
      return loaded(holder.initializer);
    });
  };

  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && APPENDS.has(n.expression.name.text)) {
      const receiver = n.expression.expression.getText();
      if (WRITER.test(receiver)) {
        const name = n.expression.name.text;
        const target = n.arguments[0];
        const categories =
          name === 'appendMany' || (name === 'append' && target && !ts.isCallExpression(target) && receiver === 'ctx') ? loaded(target) : stream(target);
        found.push({ at: line(n), categories: [...new Set(categories)] });
      }
    }
    // A `{ streamId, events }` built for an append (a decision's `also`, a chunk for appendMany).
    if (ts.isObjectLiteralExpression(n)) {
      const names = n.properties.map((p) => p.name?.getText());
      if (names.includes('streamId') && names.includes('events')) found.push({ at: line(n), categories: [...new Set(loaded(n))] });
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

/** Appends whose stream is given by the caller (generic code): traced at the call sites that build the stream instead. */
const GENERIC: Record<string, string> = {
  'src/attribution/commands/link-customer/customer-linker.ts': "appends the decision's `also`, built in attribution/domain",
  'src/attribution/commands/link-checkout/checkout-payment-linker.ts': "appends the decision's `also`, built in attribution/domain",
  'src/invoicing/commands/generate-invoices/invoice-run.service.ts': 'appends the chunks `decideInvoiceRun` builds in invoicing/domain',
  'src/invoicing/commands/generate-invoices/invoice-completion.reactor.ts': 'appends `invoiceGeneratedAppend`, built in invoicing/domain',
};

const files = walk(SRC)
  .filter((f) => !NOT_MODULES.has(moduleOf(f)) && relative(SRC, f).includes(sep))
  .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const fns = streamFunctions(files);
const owners = new Map([...fns.values()].map((f) => [f.category, f.module]));
const appends = files.flatMap(({ file, text }) =>
  appendsIn(relative(process.cwd(), file), text, fns).map((a) => ({ ...a, module: moduleOf(file), file: relative(process.cwd(), file) })),
);

describe('stream ownership', () => {
  it('every append in a module is to a stream of a category that module owns', () => {
    const foreign = appends.flatMap((a) =>
      a.categories.filter((c) => c !== '?' && owners.get(c) !== a.module).map((c) => `${a.at}: ${a.module} appends to ${c}- (owned by ${owners.get(c)})`),
    );
    expect(foreign).toEqual([]);
  });

  it('every append can be traced to a stream-name function (or is generic code listed here with why)', () => {
    const untraced = appends.filter((a) => a.categories.includes('?') && !(a.file in GENERIC)).map((a) => a.at);
    expect(untraced).toEqual([]);
    expect(Object.keys(GENERIC).filter((f) => !appends.some((a) => a.file === f && a.categories.includes('?')))).toEqual([]);
  });

  it("docs/architecture.md's ownership table names each appended category's owner and no one else", () => {
    const doc = readFileSync('docs/architecture.md', 'utf8');
    const table = doc.slice(doc.indexOf('### Stream ownership'), doc.indexOf('### What each store guarantees'));
    const rows = [...table.matchAll(/^\| (`[^|]+`)\s*\| (\w[\w-]*)[^|]*\|/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/`([a-z]+)-`/g)].map((c) => [c[1]!, m[2]!] as const),
    );
    const appended = new Set(appends.flatMap((a) => a.categories.filter((c) => c !== '?')));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries([...appended].sort().map((c) => [c, owners.get(c)])));
    expect(table).not.toMatch(/also appended by/i);
  });

  it('the tracing finds a foreign append, however the stream reaches it (the check can fail)', () => {
    const fixture = (body: string) => appendsIn('src/payouts/x.ts', body, fns).flatMap((a) => a.categories);
    expect(fixture(`await this.es.append(invoiceStream(c, i), events, 3);`)).toEqual(['invoice']);
    expect(fixture(`const streamId = partnerStream(c, p); await this.es.execute(streamId, init, evolve, d);`)).toEqual(['partner']);
    expect(
      fixture(`handle(id, async (ctx) => { const loaded = await ctx.loadStream(invoiceStream(c, i), s, e); ctx.appendRaw(loaded.streamId, [e], 1); });`),
    ).toEqual(['invoice']);
    expect(fixture(`const [a, b] = await Promise.all([ctx.load(companyRef(c)), ctx.load(platformCustomerRef(x))]); ctx.append(b, events);`)).toEqual([
      'platformcustomer',
    ]);
    expect(fixture(`return { events, also: [{ streamId: payablesStream(c), events: [x], expectedVersion: 1 }] };`)).toEqual(['payables']);
    expect(fixture(`ctx.appendRaw(someParameter, events, 1);`)).toEqual(['?']);
  });
});
