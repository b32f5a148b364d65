#!/usr/bin/env node
// Counts what issue 16 measures, on the tree at the given root (default: the repository): module-internal imports
// across modules, raw SQL on another module's tables, es_checkpoints reads outside the checkpoint store, `as unknown
// as` casts, optimistic-concurrency retry loops outside the command primitive, wall-clock reads outside domain/ and
// tests, untyped `commands.execute` calls and command messages carrying callbacks.
// Usage: node scripts/architecture-metrics.mjs [root] [--list]
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '.');
const list = process.argv.includes('--list');
const SRC = join(root, 'src');
const NOT_MODULES = new Set(['core', 'shared-kernel', 'cli']);

const files = (dir) =>
  existsSync(dir)
    ? readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
      })
    : [];
const all = [...files(SRC), ...files(join(root, 'libs'))];
const prod = all.filter((f) => !/\.spec\.ts$|\.contract\.ts$|test-events\.ts$|esdb-semantics/.test(f));
const text = new Map(all.map((f) => [f, readFileSync(f, 'utf8')]));
const rel = (f) => relative(root, f).split(sep).join('/');
const moduleOf = (f) => {
  const r = relative(SRC, f).split(sep);
  return r[0] === '..' || r.length < 2 ? null : r[0];
};
const out = {};
const detail = {};
const count = (name, items) => {
  out[name] = items.length;
  detail[name] = items;
};

// 1. Module internals imported across modules (anything of module b but its index.ts).
const crossImports = [];
for (const f of all.filter((x) => x.startsWith(SRC))) {
  const a = moduleOf(f);
  for (const m of text.get(f).matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = resolve(dirname(f), m[1]);
    const b = moduleOf(target);
    if (!b || b === a || NOT_MODULES.has(b)) continue;
    if (/^(index|contract)\.(js|ts)$/.test(relative(join(SRC, b), target))) continue;
    crossImports.push(`${rel(f)} -> ${rel(target)}`);
  }
}
count('module-internal imports across modules (src, specs included)', crossImports);
count(
  '  of which from non-spec files',
  crossImports.filter((l) => !/\.spec\.ts ->/.test(l)),
);

// 2. Raw SQL on another module's tables: a table belongs to the module whose migration creates it.
const tableOwner = new Map();
for (const f of all.filter((x) => x.endsWith('.migration.ts') && x.startsWith(SRC))) {
  for (const m of text.get(f).matchAll(/create table (?:if not exists )?([a-z_]+)/g)) tableOwner.set(m[1], moduleOf(f));
}
const foreignSql = [];
for (const f of prod.filter((x) => x.startsWith(SRC) && !x.endsWith('.migration.ts'))) {
  const a = moduleOf(f);
  for (const [table, owner] of tableOwner) {
    if (owner === a) continue;
    const re = new RegExp(`\\b(from|join|update|into|truncate)\\s+${table}\\b`, 'g');
    if (re.test(text.get(f))) foreignSql.push(`${rel(f)}: ${table} (${owner})`);
  }
}
count("raw SQL on another module's tables (non-spec)", foreignSql);

// 3. es_checkpoints read outside the checkpoint store (the runner) and the migrations.
count(
  'es_checkpoints read outside the checkpoint store (non-spec)',
  prod
    .filter((f) => /es_checkpoints/.test(text.get(f)) && !/subscription-runner\.ts$|checkpoint-store\.ts$|migration\.ts$|event-store\.port\.ts$/.test(f))
    .map(rel),
);

// 4. `as unknown as`.
const casts = all.flatMap((f) =>
  text
    .get(f)
    .split('\n')
    .flatMap((line, i) => (line.includes('as unknown as') ? [`${rel(f)}:${i + 1}: ${line.trim().slice(0, 140)}`] : [])),
);
count('`as unknown as` (all files)', casts);
count(
  '  on events (RecordedEvent/NewEvent/event types)',
  casts.filter((l) =>
    /RecordedEvent|NewEvent|event|Event\b|[A-Z][a-zA-Z]+(ed|Set|Issued|Received|Changed|Assigned|Parked)\b/.test(l.split(': ').slice(1).join(': ')),
  ),
);

// 5. Optimistic-concurrency retry loops outside the command primitive: a loop whose body catches WrongExpectedVersion.
const loops = [];
for (const f of prod.filter((x) => !/src\/core\/|libs\/event-store\//.test(x))) {
  const t = text.get(f);
  if (/for \(let (attempt|round|i|pass)[^)]*\)[\s\S]{0,3000}?instanceof WrongExpectedVersion/.test(t)) loops.push(rel(f));
}
count('optimistic-concurrency retry loops outside the command primitive (non-spec)', loops);

// 6. Wall-clock reads outside domain/ and tests.
const clock = prod
  .filter((f) => f.startsWith(SRC) && !f.includes(`${sep}domain${sep}`) && !f.includes(`${sep}test${sep}`) && !/clock\.ts$/.test(f))
  .flatMap((f) =>
    text
      .get(f)
      .split('\n')
      .flatMap((line, i) => (/Date\.now\(\)|new Date\(\)/.test(line) ? [`${rel(f)}:${i + 1}`] : [])),
  );
count('wall-clock reads (Date.now(), new Date()) in src outside domain/ (non-spec)', clock);

// 7. commands.execute calls and which return `any` (the command class does not extend Command<R>).
const typed = new Set();
for (const f of all) for (const m of text.get(f).matchAll(/class (\w+) extends Command</g)) typed.add(m[1]);
const calls = [];
for (const f of all.filter((x) => x.startsWith(SRC) || x.includes(`${sep}test${sep}`))) {
  for (const m of text.get(f).matchAll(/(?:commands|commandBus|bus)\.execute(?:<[^>]*>)?\(\s*new (\w+)/g)) calls.push({ at: rel(f), cls: m[1] });
}
count(
  'commands.execute(new …) calls',
  calls.map((c) => `${c.at}: ${c.cls}`),
);
count(
  '  returning any (command not a Command<R>)',
  calls.filter((c) => !typed.has(c.cls)).map((c) => `${c.at}: ${c.cls}`),
);

// 8. Command messages carrying callbacks: a constructor parameter typed as a function in a command class.
const callbacks = [];
for (const f of prod.filter((x) => x.startsWith(SRC))) {
  for (const m of text.get(f).matchAll(/export class (\w+)[^{]*\{\s*(?:\/\*\*[\s\S]*?\*\/\s*)?constructor\(([\s\S]*?)\)\s*\{\s*(?:super\(\);\s*)?\}/g)) {
    if (/=>\s*(Promise|void)|\(\)\s*=>/.test(m[2])) callbacks.push(`${rel(f)}: ${m[1]}`);
  }
}
count('command messages carrying callbacks', callbacks);

const width = Math.max(...Object.keys(out).map((k) => k.length));
for (const [k, v] of Object.entries(out)) {
  console.log(`${k.padEnd(width)}  ${v}`);
  if (list) for (const d of detail[k]) console.log(`    ${d}`);
}
